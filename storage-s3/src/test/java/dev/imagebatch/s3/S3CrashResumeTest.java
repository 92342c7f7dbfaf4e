package dev.imagebatch.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A service in another JVM is killed part way through a request; a new service, sharing nothing
 * with it but the bucket, resumes the request and finishes it without fetching again the images
 * whose results the dead one had recorded.
 */
class S3CrashResumeTest {

    private static final int ROWS = 11;
    private static final int PER_ROW = 4;
    private static final int IMAGES = ROWS * PER_ROW;
    private static final String PREFIX = "crash/";

    @TempDir
    Path temp;

    private S3TestServer server;
    private S3Client s3;
    private ImageServer images;
    private String bucket;
    private Process child;

    @BeforeEach
    void start() throws Exception {
        server = S3TestServer.shared();
        s3 = server.admin();
        bucket = server.newBucket();
        images = new ImageServer(150);
    }

    @AfterEach
    void stop() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        images.close();
    }

    @Test
    void aNewServiceResumesFromTheBucketWhatAKilledOneLeft() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("serial_no,product_name,input_image_urls");
        int n = 0;
        for (int row = 1; row <= ROWS; row++) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < PER_ROW; i++) {
                urls.add(images.url(++n));
            }
            lines.add(row + ",Product " + row + ",\"" + String.join(",", urls) + "\"");
        }
        Path csv = temp.resolve("input.csv");
        Files.write(csv, lines, StandardCharsets.UTF_8);
        Path idFile = temp.resolve("request-id");

        child = startChild(csv, idFile);
        String id = awaitId(idFile);
        String resultsPrefix = PREFIX + "status/" + id + "/results/";
        awaitAtLeast(resultsPrefix, 8);
        child.destroyForcibly();
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300); // let the image server log any request that was already on the wire

        S3StatusStore store = S3StatusStore.builder(s3, bucket).prefix(PREFIX).build();
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).prefix(PREFIX).build();
        List<ImageResult> before = store.images(id);
        int requestsBefore = images.requests().size();
        assertThat(before).as("killed part way").hasSizeBetween(8, IMAGES - 1);
        assertThat(store.find(id).orElseThrow().status().state()).isEqualTo(RequestState.PROCESSING);

        try (OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder()
                .addressPolicy(AddressPolicy.publicOnly().allow("127.0.0.0/8")).maxAttempts(1).build();
             ImageProcessingService service = ImageProcessingService.builder()
                     .statusStore(store)
                     .resultPublisher(publisher)
                     .imageFetcher(fetcher)
                     .settings(ProcessingSettings.builder().fetchConcurrency(4).workers(2).build())
                     .build()) {
            assertThat(service.resumeUnfinished()).containsExactly(id);
            RequestStatus done = service.await(id).get(90, TimeUnit.SECONDS);

            assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
            assertThat(done.succeeded()).isEqualTo(IMAGES);
            assertThat(service.images(id)).hasSize(IMAGES).allMatch(ImageResult::succeeded);
        }

        // Images recorded before the kill were not fetched again; the rest were fetched once more.
        for (ImageResult result : before) {
            assertThat(images.hits(result.inputUrl())).as("fetches of %s", result.inputUrl()).isEqualTo(1);
        }
        List<String> afterKill = images.requests().subList(requestsBefore, images.requests().size());
        Set<String> recorded = new HashSet<>();
        before.forEach(r -> recorded.add(okhttp3.HttpUrl.get(r.inputUrl()).encodedPath()));
        assertThat(afterKill).hasSize(IMAGES - before.size()).doesNotHaveDuplicates().noneMatch(recorded::contains);

        // One output entry per input URL, each an object holding that image at half size.
        Csv.Parsed output;
        try (InputStream in = publisher.open(ObjectKeys.outputCsv(id)).orElseThrow()) {
            output = Csv.parse(in);
        }
        assertThat(output.records()).hasSize(ROWS);
        for (CSVRecord row : output.records()) {
            String[] inputs = row.get("input_image_urls").split(",");
            String[] outputs = row.get("output_image_urls").split(", ", -1);
            assertThat(outputs).hasSameSizeAs(inputs);
            for (int i = 0; i < inputs.length; i++) {
                int image = Integer.parseInt(inputs[i].replaceAll(".*/img/(\\d+)\\.jpg$", "$1"));
                String prefix = "s3://" + bucket + "/" + PREFIX;
                assertThat(outputs[i]).startsWith(prefix);
                BufferedImage decoded;
                try (InputStream in = publisher.open(outputs[i].substring(prefix.length())).orElseThrow()) {
                    decoded = TestImages.decode(in.readAllBytes());
                }
                assertThat(decoded.getWidth()).isEqualTo(ImageServer.width(image) / 2);
                assertThat(decoded.getHeight()).isEqualTo(ImageServer.height(image) / 2);
            }
        }
    }

    private Process startChild(Path csv, Path idFile) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.logFile=" + temp.resolve("child.log"),
                "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                server.endpoint().toString(), S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY,
                bucket, PREFIX, csv.toString(), idFile.toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("child.out").toFile())
                .start();
    }

    private String awaitId(Path idFile) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(idFile)) {
            if (!child.isAlive()) {
                throw new AssertionError("the child exited early: " + childOutput());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the child did not submit in time: " + childOutput());
            }
            Thread.sleep(50);
        }
        return Files.readString(idFile, StandardCharsets.UTF_8).trim();
    }

    /** Polls the bucket until at least {@code count} result batches exist. */
    private void awaitAtLeast(String resultsPrefix, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (s3.listObjectsV2(b -> b.bucket(bucket).prefix(resultsPrefix)).keyCount() < count) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the child recorded too little: " + childOutput());
            }
            Thread.sleep(20);
        }
    }

    private String childOutput() throws Exception {
        Path out = temp.resolve("child.out");
        return Files.exists(out) ? Files.readString(out) : "(no output)";
    }
}
