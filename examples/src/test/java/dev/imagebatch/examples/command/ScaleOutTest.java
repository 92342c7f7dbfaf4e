package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import dev.imagebatch.examples.ApiCalls;
import dev.imagebatch.examples.Cli;
import dev.imagebatch.s3.AtomicConditionalWrites;
import dev.imagebatch.s3.ImageServer;
import dev.imagebatch.s3.S3ResultPublisher;
import dev.imagebatch.s3.S3StatusStore;
import dev.imagebatch.s3.S3TestServer;
import dev.imagebatch.spi.ChunkRecord;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.RecordJson;
import dev.imagebatch.testing.Csv;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.commons.csv.CSVRecord;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Three {@code worker} JVMs and one {@code serve --scale-out} JVM (the examples' command line, as
 * hosts run it) share one bucket of the S3 test server, with its atomic conditional writes, and
 * process a request of 600 images uploaded through serve's HTTP API. One worker is killed with
 * SIGKILL while it holds a chunk; another is paused with SIGSTOP until its chunk is taken over, then
 * resumed. The server records every write of a chunk record in the order it applied them, which
 * shows that each chunk had one holder at a time and that no holder wrote after its chunk was taken
 * over. Status is read over HTTP from serve, with the {@code status} command, and from the store.
 */
class ScaleOutTest {

    private static final int ROWS = 300;
    private static final int PER_ROW = 2;
    private static final int CHUNK_ROWS = 10;
    private static final String PREFIX = "shared/";
    private static final Pattern CHUNK_KEY = Pattern.compile(".*/work/chunks/[^/]+/(\\d{6})\\.json");
    private static final Pattern OUTPUT = Pattern.compile(".*/images/[^/]+/(\\d+)/(\\d+)-g(\\d+)\\.jpg");

    private static final Pattern SERVING = Pattern.compile("Serving (http://127\\.0\\.0\\.1:\\d+/)");

    /** A chunk record as the server applied it. */
    private record ChunkWrite(int chunk, String owner, long generation, boolean done, int results) {
    }

    @TempDir
    Path temp;

    private final List<ChunkWrite> writes = new CopyOnWriteArrayList<>();
    private final Map<Integer, ChunkRecord> lastRecord = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Process> children = new LinkedHashMap<>();
    private final AtomicInteger webhooks = new AtomicInteger();
    private S3TestServer server;
    private S3Client s3;
    private String bucket;
    private ImageServer images;
    private MockWebServer receiver;

    @BeforeEach
    void start() throws Exception {
        server = S3TestServer.startObserved(new AtomicConditionalWrites.WriteObserver() {
            @Override
            public boolean selects(String key) {
                return CHUNK_KEY.matcher(key).matches();
            }

            @Override
            public void written(String key, byte[] body) {
                try {
                    ChunkRecord record = RecordJson.readChunk(body);
                    lastRecord.put(record.chunk(), record);
                    writes.add(new ChunkWrite(record.chunk(), record.lease().owner(), record.lease().generation(),
                            record.done(), record.results().size()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        s3 = server.admin();
        bucket = server.newBucket();
        images = new ImageServer(40);
        receiver = new MockWebServer();
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public @NotNull MockResponse dispatch(@NotNull RecordedRequest request) {
                webhooks.incrementAndGet();
                return new MockResponse.Builder().code(200).build();
            }
        });
        receiver.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process child : children.values()) {
            if (child.isAlive()) {
                new ProcessBuilder("kill", "-CONT", Long.toString(child.pid())).start().waitFor();
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        images.close();
        receiver.close();
        server.close();
    }

    @Test
    void instancesShareARequestSurviveAKilledAndAPausedWorkerAndFinishItOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("serial_no,product_name,input_image_urls");
        for (int row = 1; row <= ROWS; row++) {
            lines.add(row + ",Product " + row + ",\"" + images.url(2 * row - 1) + "," + images.url(2 * row) + "\"");
        }
        for (String worker : List.of("w1", "w2", "w3")) {
            children.put(worker, startInstance(worker, "worker"));
        }
        children.put("serve", startInstance("serve", "serve", "--port", "0", "--scale-out"));
        URI base = URI.create(awaitValue("serve to listen", () -> {
            Matcher m = SERVING.matcher(output("serve"));
            return m.find() ? m.group(1) : null;
        }, Duration.ofSeconds(60)));
        String id = ApiCalls.upload(base, String.join("\n", lines) + "\n", Optional.of(receiver.url("/hook").toString()));

        // SIGKILL w1 early in a chunk. Which chunk it held is read from the server's log after the
        // kill, since the write order there is what counts.
        await("w1 to be early in a chunk", () -> heldPartWay("w1") != null);
        children.get("w1").destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        ChunkWrite killed = heldPartWay("w1", CHUNK_ROWS * PER_ROW);
        assertThat(killed).as("a chunk w1 held unfinished when killed").isNotNull();

        // SIGSTOP w2 while it holds an unfinished chunk; resume it once another instance has taken
        // that chunk over. (If the chunk it held was finished in the moment before the signal, resume
        // and try again.)
        ChunkWrite paused = null;
        while (paused == null) {
            await("w2 to be early in a chunk", () -> heldPartWay("w2") != null);
            signal("STOP", children.get("w2"));
            paused = heldPartWay("w2", CHUNK_ROWS * PER_ROW);
            if (paused == null) {
                signal("CONT", children.get("w2"));
            }
        }
        ChunkWrite held = paused;
        await("the paused worker's chunk to be taken over", () -> laterGeneration(held) != null);
        signal("CONT", children.get("w2"));

        S3StatusStore store = S3StatusStore.builder(s3, bucket).prefix(PREFIX).build();
        RequestStatus done = awaitValue("the request to finish", () -> {
            RequestStatus s = store.find(id).orElseThrow().status();
            return s.state().isTerminal() && s.webhook().state() != WebhookDelivery.State.PENDING ? s : null;
        });
        assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
        assertThat(done.succeeded()).isEqualTo(ROWS * PER_ROW);
        assertThat(done.webhook().state()).isEqualTo(WebhookDelivery.State.DELIVERED);
        Thread.sleep(1500); // a second webhook, if any instance were to send one, would arrive now
        assertThat(webhooks.get()).as("webhooks received").isEqualTo(1);

        Map<Integer, Long> finalGeneration = assertOneHolderAtATimeAndNoWriteAfterATakeOver();
        assertThat(finalGeneration).hasSize(ROWS / CHUNK_ROWS);
        assertThat(finalGeneration.get(killed.chunk())).as("the killed worker's chunk was taken over")
                .isGreaterThan(killed.generation());
        assertThat(finalGeneration.get(paused.chunk())).isGreaterThan(paused.generation());
        assertThat(laterGeneration(killed).owner()).isNotEqualTo("w1");
        assertThat(output("w2")).contains("was taken over from w2");

        assertEveryImageOnceInTheOutput(id, finalGeneration);
        assertThat(store.images(id)).hasSize(ROWS * PER_ROW);
        assertEveryInstanceReportsTheSameStatus(base, id, done);
        System.out.printf("ScaleOutTest: %d image fetches for %d images, %d chunk writes, %d take-over(s)%n",
                images.requests().size(), ROWS * PER_ROW, writes.size(),
                writes.stream().filter(w -> w.generation() > 1).map(w -> w.chunk() + "/" + w.generation()).distinct().count());
    }

    /** The latest write of a chunk held by {@code owner}, not done, with 1..8 results; else null. */
    private ChunkWrite heldPartWay(String owner) {
        return heldPartWay(owner, 8);
    }

    /** The latest write of a chunk held by {@code owner}, not done, with 1..maxResults results; else null. */
    private ChunkWrite heldPartWay(String owner, int maxResults) {
        Map<Integer, ChunkWrite> latest = new HashMap<>();
        writes.forEach(w -> latest.put(w.chunk(), w));
        return latest.values().stream()
                .filter(w -> w.owner().equals(owner) && !w.done() && w.results() > 0 && w.results() <= maxResults)
                .findFirst().orElse(null);
    }

    /** The first write of the chunk under a later generation than {@code held}'s; else null. */
    private ChunkWrite laterGeneration(ChunkWrite held) {
        return writes.stream().filter(w -> w.chunk() == held.chunk() && w.generation() > held.generation())
                .findFirst().orElse(null);
    }

    /**
     * Per chunk, in the server's order: generations never go back (a stale holder never wrote after
     * a take-over), each generation has one owner, results never shrink, and exactly one write marks
     * the chunk done. Returns each chunk's final generation.
     */
    private Map<Integer, Long> assertOneHolderAtATimeAndNoWriteAfterATakeOver() {
        Map<Integer, List<ChunkWrite>> byChunk = new HashMap<>();
        writes.forEach(w -> byChunk.computeIfAbsent(w.chunk(), c -> new ArrayList<>()).add(w));
        Map<Integer, Long> finalGeneration = new HashMap<>();
        byChunk.forEach((chunk, list) -> {
            Map<Long, String> owners = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                ChunkWrite w = list.get(i);
                assertThat(owners.putIfAbsent(w.generation(), w.owner()))
                        .as("chunk %d generation %d has one owner", chunk, w.generation()).isIn(null, w.owner());
                if (i > 0) {
                    ChunkWrite before = list.get(i - 1);
                    assertThat(w.generation()).as("chunk %d write %d", chunk, i).isGreaterThanOrEqualTo(before.generation());
                    assertThat(w.results()).as("chunk %d write %d", chunk, i).isGreaterThanOrEqualTo(before.results());
                    assertThat(before.done()).as("chunk %d written after it was done", chunk).isFalse();
                }
            }
            ChunkWrite last = list.get(list.size() - 1);
            assertThat(last.done()).as("chunk %d done", chunk).isTrue();
            assertThat(last.results()).isEqualTo(CHUNK_ROWS * PER_ROW);
            finalGeneration.put(chunk, last.generation());
        });
        return finalGeneration;
    }

    private void assertEveryImageOnceInTheOutput(String id, Map<Integer, Long> finalGeneration) throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).prefix(PREFIX).build();
        Csv.Parsed output;
        try (InputStream in = publisher.open(ObjectKeys.outputCsv(id)).orElseThrow()) {
            output = Csv.parse(in);
        }
        assertThat(output.records()).hasSize(ROWS);
        Set<String> seen = new HashSet<>();
        String base = publicBase();
        for (CSVRecord row : output.records()) {
            int rowNumber = Integer.parseInt(row.get("serial_no"));
            String[] outputs = row.get("output_image_urls").split(", ", -1);
            assertThat(outputs).hasSize(PER_ROW);
            for (int i = 0; i < PER_ROW; i++) {
                Matcher m = OUTPUT.matcher(outputs[i]);
                assertThat(m.matches()).as(outputs[i]).isTrue();
                assertThat(Integer.parseInt(m.group(1))).isEqualTo(rowNumber);
                assertThat(Integer.parseInt(m.group(2))).isEqualTo(i + 1);
                // The CSV names exactly the image the chunk record holds: written under the lease of a
                // holder at the time, never an image a holder published after losing its chunk.
                int chunk = (rowNumber - 1) / CHUNK_ROWS;
                int index = i + 1;
                ImageResult recorded = lastRecord.get(chunk).results().stream()
                        .filter(r -> r.row() == rowNumber && r.index() == index).findFirst().orElseThrow();
                assertThat(recorded.outputUrl().orElseThrow()).hasToString(outputs[i]);
                assertThat(Long.parseLong(m.group(3))).isLessThanOrEqualTo(finalGeneration.get(chunk));
                assertThat(seen.add(outputs[i])).isTrue();
                assertThat(outputs[i]).startsWith(base);
                String key = outputs[i].substring(base.length());
                assertThat(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength()).isPositive();
            }
        }
        // Fetched at least once; again only for chunks taken over (at most a chunk's images each time).
        long takeOvers = writes.stream().filter(w -> w.generation() > 1).map(w -> w.chunk() + "/" + w.generation())
                .distinct().count();
        for (int n = 1; n <= ROWS * PER_ROW; n++) {
            assertThat(images.hits(images.url(n))).as("fetches of image %d", n).isPositive();
        }
        assertThat(images.requests()).hasSizeLessThanOrEqualTo((int) (ROWS * PER_ROW + takeOvers * CHUNK_ROWS * PER_ROW));
    }

    /**
     * serve answers over HTTP, and the {@code status} command (as on a worker's host) reads the
     * bucket: both report what the store holds, and the same as each other.
     */
    private void assertEveryInstanceReportsTheSameStatus(URI base, String id, RequestStatus done) throws Exception {
        JsonNode served = ApiCalls.status(base, id);
        assertThat(served.get("status").asText()).isEqualTo("completed");
        assertThat(served.get("state").asText()).isEqualTo(done.state().name());
        assertThat(served.get("succeeded").asInt()).isEqualTo(done.succeeded());
        assertThat(served.get("failed").asInt()).isEqualTo(done.failed());
        assertThat(served.get("file_path").asText()).isEqualTo(done.outputCsvUrl().map(URI::toString).orElseThrow());
        assertThat(served.get("webhook").get("state").asText()).isEqualTo(done.webhook().state().name());
        assertThat(served.get("images")).hasSize(ROWS * PER_ROW);

        List<String> args = new ArrayList<>(List.of("status"));
        args.addAll(storageFlags());
        args.add(id);
        Cli.Run status = withCredentials(() -> Cli.run(args.toArray(String[]::new)));
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(new ObjectMapper().readTree(status.out())).isEqualTo(served);
    }

    /** Runs {@code call} with the test server's credentials where the SDK's default chain finds them. */
    private static <T> T withCredentials(java.util.concurrent.Callable<T> call) throws Exception {
        System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
        try {
            return call.call();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    /** The flags every instance and the {@code status} command share: the bucket and how to reach it. */
    private List<String> storageFlags() {
        return List.of("--storage", "s3", "--s3-endpoint", server.endpoint().toString(), "--s3-bucket", bucket,
                "--s3-prefix", PREFIX, "--s3-region", "us-east-1", "--s3-path-style");
    }

    /** Where output URLs point (the bucket on the test server; the key follows), so they name their keys plainly. */
    private String publicBase() {
        return server.endpoint() + "/" + bucket + "/";
    }

    /**
     * Starts the examples' command line in a JVM of its own: {@code worker} or
     * {@code serve --scale-out}, with short leases so that take-overs happen within the test, and
     * small progress batches so that chunks are written part way.
     */
    private Process startInstance(String instance, String... command) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> line = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Daws.accessKeyId=" + S3TestServer.ACCESS_KEY, "-Daws.secretAccessKey=" + S3TestServer.SECRET_KEY,
                "-Dorg.slf4j.simpleLogger.logFile=System.err", "-Dorg.slf4j.simpleLogger.log.dev.imagebatch=info",
                "-cp", classpath, "dev.imagebatch.examples.Main"));
        line.addAll(Arrays.asList(command));
        line.addAll(storageFlags());
        line.addAll(List.of("--s3-public-url", publicBase(), "--instance-id", instance, "--allow-loopback",
                "--chunk-rows", Integer.toString(CHUNK_ROWS), "--lease", "2s", "--renew-interval", "500ms",
                "--max-clock-skew", "250ms", "--poll-interval", "100ms", "--max-chunks", "2",
                "--fetch-concurrency", "3", "--workers", "1", "--progress-batch", "4", "--progress-interval", "200ms"));
        return new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve(instance + ".out").toFile())
                .start();
    }

    private static void signal(String signal, Process process) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    private void await(String what, BooleanSupplier condition) throws Exception {
        awaitValue(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    private <T> T awaitValue(String what, java.util.concurrent.Callable<T> value) throws Exception {
        return awaitValue(what, value, Duration.ofSeconds(120));
    }

    private <T> T awaitValue(String what, java.util.concurrent.Callable<T> value, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = value.call();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (String name : children.keySet()) {
                    logs.append("\n--- ").append(name).append(":\n").append(tail(output(name)));
                }
                throw new AssertionError("timed out waiting for " + what + logs);
            }
            Thread.sleep(20);
        }
    }

    private String output(String instance) throws IOException {
        Path out = temp.resolve(instance + ".out");
        return Files.exists(out) ? Files.readString(out) : "(no output)";
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }
}
