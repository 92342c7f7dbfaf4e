package dev.imagebatch.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileResultPublisherTest {

    @TempDir
    Path temp;

    private Path root;
    private FileResultPublisher publisher;
    private final String id = UUID.randomUUID().toString();

    @BeforeEach
    void create() throws IOException {
        root = temp.resolve("root");
        publisher = FileResultPublisher.create(root);
    }

    private static ObjectContent jpeg(byte... bytes) {
        return ObjectContent.ofBytes(bytes, "image/jpeg");
    }

    // --- layout and URLs ------------------------------------------------------------------------

    @Test
    void storesEachKeyAtItsPathUnderTheRootAndHandsOutFileUrls() throws Exception {
        URI image = publisher.publish(ObjectKeys.image(id, 3, 2, "jpg"), jpeg((byte) 1, (byte) 2));
        URI csv = publisher.publish(ObjectKeys.outputCsv(id), ObjectContent.ofBytes("a,b\r\n".getBytes(StandardCharsets.UTF_8), "text/csv"));
        URI input = publisher.publish(ObjectKeys.inputCsv(id), ObjectContent.ofBytes(new byte[] {9}, "text/csv"));

        Path imageFile = root.resolve("images").resolve(id).resolve("3").resolve("2.jpg");
        assertThat(imageFile).hasBinaryContent(new byte[] {1, 2});
        assertThat(root.resolve("csv").resolve(id + ".csv")).hasContent("a,b");
        assertThat(root.resolve("input").resolve(id + ".csv")).hasBinaryContent(new byte[] {9});
        assertThat(image.getScheme()).isEqualTo("file");
        assertThat(Path.of(image)).isEqualTo(imageFile);
        assertThat(Path.of(csv)).isEqualTo(root.resolve("csv").resolve(id + ".csv"));
        assertThat(Path.of(input)).isEqualTo(publisher.pathOf(ObjectKeys.inputCsv(id)));
        assertThat(publisher.publicBaseUrl()).isEmpty();
    }

    @Test
    void withAPublicBaseUrlHandsOutBasePlusKey() throws Exception {
        FileResultPublisher served = FileResultPublisher.builder(root)
                .publicBaseUrl(URI.create("http://localhost:8080/static/"))
                .build();
        String key = ObjectKeys.image(id, 1, 1, "jpg");
        assertThat(served.publish(key, jpeg((byte) 1)))
                .isEqualTo(URI.create("http://localhost:8080/static/images/" + id + "/1/1.jpg"));
        assertThat(served.publicBaseUrl()).contains(URI.create("http://localhost:8080/static/"));
        assertThat(publisher.open(key)).as("same root, same files").isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080/static", "static/", "/static/", "http://h/s/?q=1", "http://h/s/#f",
            "mailto:x@example.com/"})
    void aPublicBaseUrlMustBeAbsoluteAndEndInASlash(String base) {
        FileResultPublisher.Builder builder = FileResultPublisher.builder(root);
        assertThatThrownBy(() -> builder.publicBaseUrl(URI.create(base))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createsTheRootAndReportsAFileInItsWay() throws Exception {
        Path fresh = temp.resolve("a/b/c");
        assertThat(FileResultPublisher.create(fresh).root()).isEqualTo(fresh);
        assertThat(fresh).isDirectory();

        Path file = Files.writeString(temp.resolve("file"), "x");
        assertThatThrownBy(() -> FileResultPublisher.create(file.resolve("root")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }

    // --- path safety ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "images/../../x", "images/..", "/etc/passwd", "//server/share/x",
            "images\\..\\x", "..\\x", "C:\\x", "c:/x", "./x", "images/./x", "images//x", "images/x/", "~/x",
            "images/%2e%2e/x", "images/x\u0000.jpg", "images/x\n.jpg", "status/x.json", "status/store.lock",
            "status", "images/x.jpg~1.tmp"})
    void aKeyCanNeverNameAFileOutsideTheRootOrInTheStatusDirectory(String key) throws Exception {
        assertThatThrownBy(() -> publisher.publish(key, jpeg((byte) 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> publisher.open(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> publisher.pathOf(key)).isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> files = Files.walk(temp)) {
            assertThat(files.filter(p -> !p.equals(temp) && !p.equals(root)).toList()).as("nothing written").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"..a/b.jpg", "images/.../x.jpg", "a..b/c", "-/x", "images/.x", "statuses/x"})
    void oddButValidKeysStayInsideTheRoot(String key) throws Exception {
        Path file = publisher.pathOf(key);
        assertThat(file.normalize()).isEqualTo(file).startsWithRaw(root);
        publisher.publish(key, jpeg((byte) 7));
        assertThat(file).hasBinaryContent(new byte[] {7});
        assertThat(read(key)).containsExactly(7);
    }

    // --- atomicity ------------------------------------------------------------------------------

    @Test
    void aFailedPublishKeepsThePreviousObjectAndLeavesNoTemporaryFile() throws Exception {
        String key = ObjectKeys.outputCsv(id);
        publisher.publish(key, ObjectContent.ofBytes("previous".getBytes(StandardCharsets.UTF_8), "text/csv"));
        Path source = Files.write(temp.resolve("spool.csv"), new byte[100_000]);
        ObjectContent vanishing = ObjectContent.ofFile(source, "text/csv");
        Files.delete(source);

        assertThatThrownBy(() -> publisher.publish(key, vanishing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(publisher.pathOf(key).toString());
        assertThat(read(key)).isEqualTo("previous".getBytes(StandardCharsets.UTF_8));
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void readersSeeOneWholeVersionWhileTheObjectIsReplaced() throws Exception {
        String key = ObjectKeys.image(id, 1, 1, "jpg");
        byte[] a = bytes(1 << 20, 1);
        byte[] b = bytes((1 << 20) + 4096, 2);
        publisher.publish(key, ObjectContent.ofBytes(a, "image/jpeg"));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int i = 0; i < 60; i++) {
                        publisher.publish(key, ObjectContent.ofBytes(i % 2 == 0 ? b : a, "image/jpeg"));
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            List<Future<?>> readers = List.of(pool.submit(() -> readUntil(writing, key, a, b, reads)),
                    pool.submit(() -> readUntil(writing, key, a, b, reads)));
            writer.get();
            for (Future<?> reader : readers) {
                reader.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
        assertThat(tempFiles()).isEmpty();
    }

    private Void readUntil(AtomicBoolean writing, String key, byte[] a, byte[] b, AtomicInteger reads) throws IOException {
        while (writing.get()) {
            byte[] seen = read(key);
            if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                throw new AssertionError("a reader saw " + seen.length + " bytes that are neither version");
            }
            reads.incrementAndGet();
        }
        return null;
    }

    // --- leftovers of a crash -------------------------------------------------------------------

    @Test
    void temporaryFilesOfAnInterruptedPublishAreRemovedBeforeTheFirstWriteIntoTheirDirectory() throws Exception {
        String other = UUID.randomUUID().toString();
        Files.createDirectories(root.resolve("images").resolve(id).resolve("7"));
        Files.createDirectories(root.resolve("images").resolve(other).resolve("1"));
        Files.createDirectories(root.resolve("csv"));
        Path imageTemp = Files.writeString(root.resolve("images").resolve(id).resolve("7").resolve("2.jpg~a1b2.tmp"), "half");
        Path otherTemp = Files.writeString(root.resolve("images").resolve(other).resolve("1").resolve("1.jpg~c3.tmp"), "half");
        Path csvTemp = Files.writeString(root.resolve("csv").resolve(id + ".csv~d4.tmp"), "half");
        Path kept = Files.writeString(root.resolve("images").resolve(id).resolve("7").resolve("1.jpg"), "whole");

        FileResultPublisher restarted = FileResultPublisher.create(root);
        assertThat(imageTemp).as("nothing is swept before a write").exists();
        restarted.publish(ObjectKeys.image(id, 1, 1, "jpg"), jpeg((byte) 1));
        assertThat(imageTemp).doesNotExist();
        assertThat(otherTemp).as("another request's directory is swept when it is written").exists();
        assertThat(csvTemp).exists();
        assertThat(kept).hasContent("whole");

        restarted.publish(ObjectKeys.outputCsv(id), ObjectContent.ofBytes(new byte[] {1}, "text/csv"));
        assertThat(csvTemp).doesNotExist();
        restarted.publish(ObjectKeys.image(other, 9, 1, "jpg"), jpeg((byte) 1));
        assertThat(otherTemp).doesNotExist();
    }

    // --- storage failures -----------------------------------------------------------------------

    @Test
    void aFileWhereADirectoryShouldBeFailsWithTheKeyAndPath() throws Exception {
        Files.writeString(root.resolve("images"), "not a directory");
        String key = ObjectKeys.image(id, 1, 1, "jpg");
        assertThatThrownBy(() -> publisher.publish(key, jpeg((byte) 1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(publisher.pathOf(key).toString())
                .hasMessageContaining(root.resolve("images").toString());
        assertThatThrownBy(() -> publisher.open(key))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(publisher.pathOf(key).toString());
        assertThat(root.resolve("images")).hasContent("not a directory");
    }

    @Test
    void aDirectoryWhereAnObjectShouldBeFailsWithTheKeyAndPath() throws Exception {
        String key = ObjectKeys.outputCsv(id);
        Files.createDirectories(publisher.pathOf(key).resolve("child"));
        assertThatThrownBy(() -> publisher.publish(key, jpeg((byte) 1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(publisher.pathOf(key).toString());
        assertThatThrownBy(() -> publisher.open(key))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(publisher.pathOf(key).toString());
        assertThat(tempFiles()).isEmpty();
    }

    private byte[] read(String key) throws IOException {
        try (InputStream in = publisher.open(key).orElseThrow()) {
            return in.readAllBytes();
        }
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
