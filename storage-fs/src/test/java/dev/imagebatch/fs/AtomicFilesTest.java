package dev.imagebatch.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReplacesWholeFiles() throws Exception {
        Path target = dir.resolve("a.json");
        AtomicFiles.write(target, out -> out.write("first, longer".getBytes(StandardCharsets.UTF_8)), false);
        AtomicFiles.write(target, out -> out.write("second".getBytes(StandardCharsets.UTF_8)), false);
        assertThat(target).hasContent("second");
        assertThat(entries()).containsExactly(target);
    }

    @Test
    void aWriteFailingHalfWayKeepsThePreviousFileAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("a.json");
        AtomicFiles.write(target, out -> out.write("old".getBytes(StandardCharsets.UTF_8)), true);
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[200_000]);
            throw new IOException("No space left on device");
        }, true)).isInstanceOf(IOException.class).hasMessage("No space left on device");
        assertThat(target).hasContent("old");
        assertThat(entries()).containsExactly(target);
    }

    @Test
    void aDirectoryInPlaceOfTheTargetFailsAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("a.json");
        Files.createDirectories(target.resolve("child"));
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> out.write(1), false)).isInstanceOf(IOException.class);
        assertThat(target.resolve("child")).isDirectory();
        assertThat(entries()).containsExactly(target);
    }

    @Test
    void aMissingDirectoryFails() {
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("missing/a.json"), out -> out.write(1), false))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void createsMissingDirectoriesAndReportsAFileInTheWay() throws Exception {
        AtomicFiles.createDirectories(dir.resolve("a/b/c"));
        AtomicFiles.createDirectories(dir.resolve("a/b/c"));
        assertThat(dir.resolve("a/b/c")).isDirectory();

        Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> AtomicFiles.createDirectories(dir.resolve("file/sub")))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(dir.resolve("file").toString());
    }

    @Test
    void recognisesItsTemporaryFilesOnly() {
        assertThat(AtomicFiles.isTempName("1.jpg~k2j3h4.tmp")).isTrue();
        assertThat(AtomicFiles.isTempName("1.jpg")).isFalse();
        assertThat(AtomicFiles.isTempName("report.tmp")).as("a valid key segment is never a temp name").isFalse();
        assertThat(AtomicFiles.isTempName("a~b")).isFalse();
    }

    @Test
    void temporaryFileNamesStayShortForLongTargets() throws Exception {
        Path target = dir.resolve("x".repeat(250));
        AtomicFiles.write(target, out -> out.write(1), false);
        assertThat(target).hasBinaryContent(new byte[] {1});
    }

    @Test
    void theSweeperRemovesOnlyTemporaryFilesDownToTheDepthAsked() throws Exception {
        Files.createDirectories(dir.resolve("r/1"));
        Path top = Files.writeString(dir.resolve("r/a.csv~1.tmp"), "x");
        Path deep = Files.writeString(dir.resolve("r/1/1.jpg~2.tmp"), "x");
        Path kept = Files.writeString(dir.resolve("r/1/1.jpg"), "x");
        Path notOurs = Files.writeString(dir.resolve("r/1/notes.tmp"), "x");

        assertThat(TempFileSweeper.sweep(dir.resolve("r"), 1)).isEqualTo(1);
        assertThat(top).doesNotExist();
        assertThat(deep).exists();
        assertThat(TempFileSweeper.sweep(dir.resolve("r"), Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(deep).doesNotExist();
        assertThat(kept).exists();
        assertThat(notOurs).exists();
        assertThat(TempFileSweeper.sweep(dir.resolve("missing"), 3)).isZero();
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
