package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.examples.Cli;
import dev.imagebatch.examples.Csv;
import dev.imagebatch.examples.ImageHost;
import dev.imagebatch.fs.FileStatusStore;
import dev.imagebatch.spi.RequestRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process} in a child JVM is killed with SIGKILL while images are being processed; then
 * {@code resume} finishes the request: every image has its output, and the images recorded before
 * the kill are not downloaded again.
 */
class KillAndResumeTest {

    private static final int ROWS = 12;
    private static final int URLS_PER_ROW = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void resumeFinishesARequestWhoseProcessWasKilledLosingNothing() throws Exception {
        try (ImageHost host = new ImageHost(80, 60).delay(Duration.ofMillis(150))) {
            List<List<String>> rows = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < URLS_PER_ROW; i++) {
                    urls.add(host.url("r" + r + "i" + i));
                }
                rows.add(urls);
            }
            Path csv = Csv.input(dir.resolve("in.csv"), rows);
            Path data = dir.resolve("data");
            Process child = startProcess(data, csv);
            String id;
            List<ImageResult> beforeKill;
            try {
                BufferedReader stdout = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                id = stdout.readLine();
                assertThat(id).as("first line of stdout").matches("[0-9a-f-]{36}");
                beforeKill = waitForSomeResults(data, id);
            } finally {
                child.destroyForcibly(); // SIGKILL: no shutdown hook runs, nothing is flushed on the way out
                child.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(child.exitValue()).isEqualTo(137);

            try (FileStatusStore reader = FileStatusStore.openReadOnly(data)) {
                RequestRecord killed = reader.find(id).orElseThrow();
                assertThat(killed.status().state()).isEqualTo(RequestState.PROCESSING);
                beforeKill = reader.images(id);
            }
            assertThat(beforeKill).isNotEmpty().hasSizeLessThan(ROWS * URLS_PER_ROW);

            Cli.Run resumed = Cli.run("resume", "--data", data.toString(), "--allow-loopback");

            assertThat(resumed.exit()).as(resumed.toString()).isZero();
            String csvPath = data.resolve("csv/" + id + ".csv").toAbsolutePath().toString();
            assertThat(resumed.out()).isEqualTo(id + "\tCOMPLETED\t" + csvPath + "\n");
            try (FileStatusStore reader = FileStatusStore.openReadOnly(data)) {
                RequestRecord done = reader.find(id).orElseThrow();
                assertThat(done.status().state()).isEqualTo(RequestState.COMPLETED);
                assertThat(done.status().succeeded()).isEqualTo(ROWS * URLS_PER_ROW);
                List<ImageResult> images = reader.images(id);
                assertThat(images).hasSize(ROWS * URLS_PER_ROW).allMatch(ImageResult::succeeded);
                for (ImageResult image : images) {
                    Path file = Path.of(image.outputUrl().orElseThrow());
                    assertThat(ImageIO.read(file.toFile()).getWidth()).as(file.toString()).isEqualTo(40);
                }
            }
            for (ImageResult recorded : beforeKill) {
                assertThat(host.hits(recorded.inputUrl())).as("fetches of " + recorded.inputUrl()).isEqualTo(1);
            }
            List<CSVRecord> output = Csv.read(Path.of(csvPath));
            assertThat(output).hasSize(ROWS);
            for (int r = 0; r < ROWS; r++) {
                String[] urls = output.get(r).get("output_image_urls").split(", ");
                assertThat(urls).hasSize(URLS_PER_ROW);
                for (int i = 0; i < URLS_PER_ROW; i++) {
                    assertThat(Files.exists(Path.of(URI.create(urls[i])))).isTrue();
                    assertThat(urls[i]).endsWith("/" + id + "/" + (r + 1) + "/" + (i + 1) + ".jpg");
                }
            }
        }
    }

    private static Process startProcess(Path data, Path csv) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-cp", classpath, "dev.imagebatch.examples.Main", "process",
                "--data", data.toString(), "--allow-loopback", "--fetch-concurrency", "2", "--workers", "1",
                csv.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Polls the store read-only until the child has recorded a few results, but not all. */
    private static List<ImageResult> waitForSomeResults(Path data, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (FileStatusStore reader = FileStatusStore.openReadOnly(data)) {
            while (System.nanoTime() < deadline) {
                List<ImageResult> images = reader.images(id);
                if (images.size() >= 4) {
                    return images;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the child recorded no results within 60 s");
    }
}
