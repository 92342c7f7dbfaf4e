package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.examples.Cli;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke run of the end-to-end benchmark on tiny inputs: it measures, it does not judge speed. */
class BenchCommandTest {

    @Test
    void reportsEveryPassAndThatEachUrlWasFetchedAndEncodedOnce(@TempDir Path data) {
        Cli.Run run = Cli.run("bench", "--generated", "5", "--rows", "4", "--passes", "2",
                "--heap-at-rows", "2", "--data", data.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.outLines()).anySatisfy(line -> assertThat(line).startsWith("1 ").contains(" 12 ", "yes", "COMPLETED"));
        assertThat(run.outLines()).anySatisfy(line -> assertThat(line).startsWith("2 ").contains(" 12 "));
        assertThat(run.out()).contains("heap after GC when 2 rows were done", "median of 2 passes:");
    }

    @Test
    void warmUpPassesAreShownButLeftOutOfTheMedian(@TempDir Path data) {
        Cli.Run run = Cli.run("bench", "--generated", "2", "--rows", "2", "--warmup", "1", "--passes", "1",
                "--data", data.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.outLines()).anySatisfy(line -> assertThat(line).matches("w1 +6 +6 .* yes +yes +COMPLETED"));
        assertThat(run.outLines()).anySatisfy(line -> assertThat(line).matches("1 +6 +6 .* yes +yes +COMPLETED"));
        assertThat(run.out()).contains("median of 1 passes after warm-up:");
        assertThat(Cli.run("bench", "--generated", "2", "--warmup", "-1").exit()).isNotZero();
    }

    @Test
    void theRepeatVariantFetchesAndEncodesEachDistinctUrlOnce(@TempDir Path data) {
        Cli.Run run = Cli.run("bench", "--generated", "3", "--rows", "10", "--repeat", "--passes", "1",
                "--data", data.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.outLines()).anySatisfy(line -> assertThat(line).matches("1 +30 +3 .* yes +yes +COMPLETED"));
    }

    @Test
    void servesAFolderOfImages(@TempDir Path folder, @TempDir Path data) throws Exception {
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("a.png").toFile());
        Files.writeString(folder.resolve("notes.txt"), "ignored");
        Cli.Run run = Cli.run("bench", "--images", folder.toString(), "--rows", "2", "--passes", "1",
                "--data", data.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.outLines()).anySatisfy(line -> assertThat(line).matches("1 +6 +6 .* yes +yes +COMPLETED"));
    }
}
