package dev.imagebatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a user runs it: {@code java -jar imagebatch-examples.jar}. Merging jars can
 * silently drop ImageIO's service files, and with them WebP and TIFF decoding, so the demo (which
 * has a WebP and a TIFF sample) must process every format from the jar.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of(System.getProperty("imagebatch.examples.jar", "target/imagebatch-examples.jar"));

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run java(String... args) throws Exception {
        return java(java.util.Map.of(), args);
    }

    private Run java(java.util.Map<String, String> environment, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theJarKeepsImageIoServiceFilesAndItsMainClass() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.imagebatch.examples.Main");
            String readers = new String(jar.getInputStream(jar.getEntry("META-INF/services/javax.imageio.spi.ImageReaderSpi"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(readers).contains("com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi")
                    .contains("com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi")
                    .contains("com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi");
        }
    }

    @Test
    void theDemoDecodesEveryFormatFromTheJar() throws Exception {
        Run run = java("demo");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("7 of 8 images processed, 1 failed")
                .containsPattern("lagoon_640x480\\.webp +-> .*/4/2\\.jpg \\(320x240\\)")
                .containsPattern("mosaic_900x600\\.tiff +-> .*/2/2\\.jpg \\(450x300\\)");
        assertThat(dir.resolve("imagebatch-data/csv")).isDirectory();
    }

    @Test
    void theJarPrintsItsHelp() throws Exception {
        Run run = java("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("demo", "process", "status", "resume", "serve");
    }

    @Test
    void theJarTalksToS3WithCredentialsFromTheEnvironment() throws Exception {
        try (S3Server s3 = S3Server.start()) {
            Run run = java(java.util.Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                            "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY),
                    "resume", "--storage", "s3", "--s3-endpoint", s3.endpoint().toString(),
                    "--s3-bucket", S3Server.BUCKET, "--s3-region", "us-east-1", "--s3-path-style");

            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(run.err()).contains("Nothing to resume in s3://" + S3Server.BUCKET + "/");
        }
    }
}
