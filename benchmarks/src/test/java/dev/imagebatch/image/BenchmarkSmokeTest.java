package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the benchmark's operation and the verification tool once on tiny generated images (never JMH itself). */
class BenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    void theBenchmarkOperationProcessesEachKind() throws Exception {
        writeImages();
        for (String kind : new String[] {"BASELINE_JPEG", "PROGRESSIVE_JPEG", "PNG"}) {
            for (String path : new String[] {"auto", "imageio"}) {
                ImageStepBenchmark benchmark = new ImageStepBenchmark();
                benchmark.dir = dir.toString();
                benchmark.kind = kind;
                benchmark.path = path;
                benchmark.setup();
                ProcessedImage out = benchmark.processOneImage();
                assertThat(out.width()).as(kind).isEqualTo(41);
                assertThat(out.height()).isEqualTo(30);
            }
        }
    }

    @Test
    void theBenchmarkRefusesAMissingFolderOrKind() throws Exception {
        ImageStepBenchmark benchmark = new ImageStepBenchmark();
        benchmark.dir = dir.resolve("missing").toString();
        benchmark.kind = "PNG";
        benchmark.path = "auto";
        assertThatThrownBy(benchmark::setup).isInstanceOf(IllegalArgumentException.class);
        benchmark.dir = dir.toString(); // empty folder
        assertThatThrownBy(benchmark::setup).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PNG");
    }

    @Test
    void theVerificationToolReportsEveryImageAndKind() throws Exception {
        writeImages();
        Path reference = Files.createDirectory(dir.resolve("reference"));
        for (String name : new String[] {"baseline", "progressive", "picture"}) {
            Files.write(reference.resolve(name + ".jpg"), jpeg(picture(40, 30), false));
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CorpusReport.main(new String[] {dir.toString(), "--reference-out", reference.toString(), "--passes", "1", "--warmup", "0"});
        } finally {
            System.setOut(previous);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("| baseline.jpg | BASELINE_JPEG |", "| progressive.jpg | PROGRESSIVE_JPEG |",
                "| picture.png | PNG |", "Progressive / baseline JPEG CPU time per MP");
        assertThat(report).doesNotContain("declined");
    }

    @Test
    void theDecodeReportTimesBothJpegKinds() throws Exception {
        writeImages();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            DecodeReport.main(new String[] {dir.toString(), "--passes", "1", "--warmup", "0"});
        } finally {
            System.setOut(previous);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("| BASELINE_JPEG | 1 |", "| PROGRESSIVE_JPEG | 1 |",
                "Progressive / baseline JPEG decoding CPU time per MP");
        assertThat(report).doesNotContain("NaN");
    }

    private void writeImages() throws Exception {
        BufferedImage picture = picture(81, 59);
        Files.write(dir.resolve("baseline.jpg"), jpeg(picture, false));
        Files.write(dir.resolve("progressive.jpg"), jpeg(picture, true));
        ImageIO.write(picture, "png", dir.resolve("picture.png").toFile());
    }

    private static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 3) << 16 | (y * 4) << 8 | ((x * y) & 0xFF));
            }
        }
        return image;
    }

    private static byte[] jpeg(BufferedImage image, boolean progressive) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
