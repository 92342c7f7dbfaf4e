package dev.imagebatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.apache.commons.csv.CSVRecord;

/**
 * One kill -9 run, shared by the file and S3 storage tests: a child JVM ({@link KillPointChild})
 * accepts {@value #REQUESTS} requests of {@value #IMAGES_PER_REQUEST} images served from loopback
 * and is killed with SIGKILL ({@link Process#destroyForcibly()}) at the seeded {@link KillPlan};
 * then a fresh service in this JVM, on the same storage, runs {@code resumeUnfinished()} and the
 * outcome is checked: every accepted request completes, each image is once in its output CSV and
 * its object exists and decodes to the half-size of the right input, no object and no temporary
 * file is left over, images recorded before the kill are not fetched again, and every webhook is
 * delivered.
 *
 * <p>Webhooks are delivered at least once. A second delivery of the same webhook happens only when
 * the process dies after the receiver got the POST and before {@code DELIVERED} was recorded;
 * both carry the same {@code webhook-id} (the request id) and the same data, so a receiver can
 * drop the repeat. The checks allow exactly that and nothing more.
 */
public final class KillScenario implements AutoCloseable {

    public static final int REQUESTS = 2;
    public static final int ROWS = 5;
    public static final int PER_ROW = 3;
    public static final int IMAGES_PER_REQUEST = ROWS * PER_ROW;
    public static final int IMAGES = REQUESTS * IMAGES_PER_REQUEST;

    private static final Pattern IMAGE_PATH = Pattern.compile("/img/(\\d+)\\.jpg");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the scenario needs from a storage backend. */
    public interface Storage {

        /** The child's main class followed by its store arguments; {@link KillPointChild}'s come after. */
        List<String> childCommand();

        /** A status store on the storage, opened after the child died; closed by the scenario if closeable. */
        StatusStore openStore() throws IOException;

        /** A publisher on the storage. */
        ResultPublisher publisher() throws IOException;

        /** The object key an output URL given to users points at. */
        String keyOf(URI outputUrl);

        /** Every object key under {@code keyPrefix}. */
        Set<String> keysUnder(String keyPrefix) throws IOException;

        /** Temporary files or unfinished uploads the storage holds. */
        List<String> temporaryLeftovers() throws IOException;
    }

    /**
     * Where to kill: the seed picks the point (consecutive seeds cycle through every point) and,
     * through {@link Random}, which image or request passing it.
     */
    public record KillPlan(long seed, KillPoint point, int k) {

        public static KillPlan of(long seed) {
            KillPoint[] points = KillPoint.values();
            KillPoint point = points[(int) Math.floorMod(seed, (long) points.length)];
            int k = 1 + new Random(seed).nextInt(point.perImage() ? IMAGES : REQUESTS);
            return new KillPlan(seed, point, k);
        }

        @Override
        public String toString() {
            return "seed " + seed + " (" + point + ", k=" + k + ")";
        }
    }

    /** Figures of one run. */
    public record Outcome(KillPlan plan, String marker, int resultsBeforeKill, int imageRequests,
                          int webhookPosts, int duplicateWebhooks, List<String> leftAtKill) {
    }

    /** One POST the receiver saw: answered 2xx or not, sent by the killed process or after the resume. */
    private record Post(String webhookId, JsonNode data, boolean answered, boolean afterResume) {
    }

    /**
     * The seeds to run: 1 to 11 (every point once) in the normal build, 1 to
     * {@code imagebatch.killSeeds} when that system property is set (the {@code reliability-long}
     * profile), or only {@code imagebatch.killSeed} when set (to repeat a failure).
     */
    public static LongStream seeds() {
        Long one = Long.getLong("imagebatch.killSeed");
        return one != null ? LongStream.of(one)
                : LongStream.rangeClosed(1, Long.getLong("imagebatch.killSeeds", KillPoint.values().length));
    }

    private final MockWebServer server = new MockWebServer();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger postsBeforeKill = new AtomicInteger();
    private final CompletableFuture<String> marker = new CompletableFuture<>();
    private final CountDownLatch childDead = new CountDownLatch(1);
    private final Map<Integer, byte[]> images = new ConcurrentHashMap<>();
    private final KillPlan plan;
    private volatile boolean resumed;

    public KillScenario(KillPlan plan) throws IOException {
        this.plan = plan;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                String path = request.getUrl().encodedPath();
                return path.equals("/hook") ? webhook(request) : image(path);
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    private MockResponse image(String path) throws InterruptedException {
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Matcher m = IMAGE_PATH.matcher(path);
        if (!m.matches()) {
            return new MockResponse.Builder().code(404).build();
        }
        Thread.sleep(10); // spreads the images over time, so kill points fall among work in flight
        byte[] jpeg = images.computeIfAbsent(Integer.parseInt(m.group(1)), KillScenario::jpeg);
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "image/jpeg")
                .body(new Buffer().write(jpeg)).build();
    }

    private MockResponse webhook(RecordedRequest request) throws InterruptedException {
        String id = request.getHeaders().get("webhook-id");
        JsonNode data;
        try {
            data = JSON.readTree(request.getBody().utf8()).get("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!resumed && plan.point() == KillPoint.WEBHOOK_RECEIVED
                && postsBeforeKill.incrementAndGet() == plan.k()) {
            posts.add(new Post(id, data, false, false));
            marker.complete("KILLPOINT WEBHOOK_RECEIVED " + id);
            childDead.await(20, TimeUnit.SECONDS); // the answer goes to a dead process
            return new MockResponse.Builder().code(204).build();
        }
        if (!resumed && plan.point() == KillPoint.WEBHOOK_RETRYING && failedOnce.add(id)) {
            posts.add(new Post(id, data, false, false));
            return new MockResponse.Builder().code(503).build();
        }
        posts.add(new Post(id, data, true, resumed));
        return new MockResponse.Builder().code(204).build();
    }

    /** Image n: (40 + 2n) x 30 pixels, so its output is (20 + n) x 15 and tells which input it came from. */
    private static byte[] jpeg(int n) {
        return TestImages.jpeg(40 + 2 * n, 30, new Color((n * 7) % 256, 255 - (n * 5) % 256, 128), Color.WHITE);
    }

    /** Runs the plan in {@code work} (a fresh directory) against {@code storage}. */
    public Outcome run(Path work, Storage storage) throws Exception {
        try {
            return runChecked(work, storage);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(plan + " failed: " + e.getMessage() + "\nchild log:\n" + log(work), e);
        }
    }

    private Outcome runChecked(Path work, Storage storage) throws Exception {
        List<Path> csvs = new ArrayList<>();
        for (int r = 0; r < REQUESTS; r++) {
            csvs.add(writeCsv(work.resolve("input-" + r + ".csv"), r));
        }
        List<String> accepted = new CopyOnWriteArrayList<>();
        Process child = startChild(work, storage, csvs, accepted);
        int imageRequestsBeforeKill;
        try {
            String seen = marker.get(60, TimeUnit.SECONDS);
            assertThat(seen).as("the child reached the kill point").startsWith("KILLPOINT " + plan.point());
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("the child died").isTrue();
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
            childDead.countDown();
        }
        Thread.sleep(100); // lets the image server count a request that was already on the wire
        imageRequestsBeforeKill = imageRequests();
        resumed = true;
        assertThat(accepted).as("accepted requests").hasSize(REQUESTS);

        StatusStore store = storage.openStore();
        try {
            return resumeAndCheck(store, storage, accepted, imageRequestsBeforeKill);
        } finally {
            if (store instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private Outcome resumeAndCheck(StatusStore store, Storage storage, List<String> ids, int requestsBeforeKill)
            throws Exception {
        // What the killed process left.
        Map<String, RequestRecord> atKill = new HashMap<>();
        Set<String> fetchedAndRecorded = new HashSet<>();
        int resultsBeforeKill = 0;
        for (String id : ids) {
            atKill.put(id, store.find(id).orElseThrow());
            for (ImageResult result : store.images(id)) {
                resultsBeforeKill++;
                if (result.succeeded()) {
                    fetchedAndRecorded.add(URI.create(result.inputUrl()).getPath());
                }
            }
        }
        List<String> leftAtKill = new ArrayList<>(storage.temporaryLeftovers());
        leftAtKill.addAll(spools(ids));
        int postsBeforeResume = posts.size();

        // A fresh service on the same storage finishes everything.
        AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.0/8");
        try (OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().addressPolicy(loopback).build();
             ImageProcessingService service = ImageProcessingService.builder()
                     .statusStore(store)
                     .resultPublisher(storage.publisher())
                     .imageFetcher(fetcher)
                     .webhook(WebhookSettings.builder().addressPolicy(loopback).build())
                     .settings(ProcessingSettings.builder().fetchConcurrency(4).workers(2).build())
                     .build()) {
            List<String> processing = ids.stream()
                    .filter(id -> atKill.get(id).status().state() == RequestState.PROCESSING).toList();
            assertThat(service.resumeUnfinished()).as("requests resumed").containsExactlyInAnyOrderElementsOf(processing);
            for (String id : ids) {
                RequestStatus done = awaitDelivered(service, id);
                assertThat(done.state()).as("state of %s", id).isEqualTo(RequestState.COMPLETED);
                assertThat(done.succeeded()).isEqualTo(IMAGES_PER_REQUEST);
                assertThat(done.failed()).isZero();
                assertThat(service.images(id)).hasSize(IMAGES_PER_REQUEST).allMatch(ImageResult::succeeded);
            }
        }
        assertThat(store.unfinished()).as("requests still needing work").isEmpty();

        // Each image once in its output CSV, stored and decodable, and no other object.
        ResultPublisher publisher = storage.publisher();
        for (String id : ids) {
            Set<String> keys = checkOutputCsv(publisher, storage, id);
            assertThat(storage.keysUnder("images/" + id + "/")).as("image objects of %s", id)
                    .containsExactlyInAnyOrderElementsOf(keys);
        }

        // Nothing temporary left, nothing done fetched twice, everything fetched.
        assertThat(storage.temporaryLeftovers()).as("temporary files in the storage").isEmpty();
        assertThat(spools(ids)).as("output CSV spools in %s", System.getProperty("java.io.tmpdir")).isEmpty();
        for (String path : fetchedAndRecorded) {
            assertThat(hits.get(path)).as("requests for %s, recorded before the kill", path).hasValue(1);
        }
        assertThat(hits).as("images requested").hasSize(IMAGES);

        // Every webhook delivered; a repeat only where the kill may have cut a delivery short.
        int duplicates = 0;
        for (String id : ids) {
            List<Post> forId = posts.stream().filter(p -> id.equals(p.webhookId())).toList();
            List<Post> answered = forId.stream().filter(Post::answered).toList();
            assertThat(answered).as("webhooks of %s answered 2xx", id).isNotEmpty();
            assertThat(forId).as("webhook data of %s", id).extracting(Post::data).containsOnly(forId.get(0).data());
            assertThat(forId.get(0).data().get("state").asText()).isEqualTo("COMPLETED");
            if (atKill.get(id).status().webhook().state() == WebhookDelivery.State.DELIVERED) {
                assertThat(forId).as("webhooks of %s, delivered before the kill", id)
                        .noneMatch(Post::afterResume).filteredOn(Post::answered).hasSize(1);
            }
            duplicates += answered.size() - 1;
        }
        if (plan.point() == KillPoint.WEBHOOK_RECEIVED) {
            assertThat(posts.size()).as("the POST cut short is sent again").isGreaterThan(postsBeforeResume);
        }
        return new Outcome(plan, marker.getNow("?"), resultsBeforeKill, imageRequests(), posts.size(),
                duplicates, leftAtKill);
    }

    private static RequestStatus awaitDelivered(ImageProcessingService service, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            RequestStatus status = service.status(id).orElseThrow();
            if (status.state() != RequestState.PROCESSING
                    && status.webhook().state() != WebhookDelivery.State.PENDING) {
                assertThat(status.webhook().state()).as("webhook of %s", id).isEqualTo(WebhookDelivery.State.DELIVERED);
                return status;
            }
            assertThat(System.nanoTime()).as("%s finished with its webhook in time: %s", id, status).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Checks request {@code id}'s output CSV; returns the keys of its images. */
    private Set<String> checkOutputCsv(ResultPublisher publisher, Storage storage, String id) throws IOException {
        Csv.Parsed output;
        try (InputStream in = publisher.open(ObjectKeys.outputCsv(id)).orElseThrow()) {
            output = Csv.parse(in);
        }
        assertThat(output.records()).as("rows of %s", id).hasSize(ROWS);
        Set<String> keys = new HashSet<>();
        for (CSVRecord row : output.records()) {
            String[] inputs = row.get("input_image_urls").split(",");
            String[] outputs = row.get("output_image_urls").split(", ", -1);
            assertThat(outputs).as("outputs of row %s of %s", row.get("serial_no"), id).hasSameSizeAs(inputs);
            for (int i = 0; i < inputs.length; i++) {
                String key = storage.keyOf(URI.create(outputs[i]));
                assertThat(keys.add(key)).as("%s once in the output of %s", key, id).isTrue();
                Matcher m = IMAGE_PATH.matcher(URI.create(inputs[i].trim()).getPath());
                assertThat(m.matches()).isTrue();
                int n = Integer.parseInt(m.group(1));
                BufferedImage decoded;
                try (InputStream in = publisher.open(key).orElseThrow(() -> new AssertionError("no object " + key))) {
                    decoded = TestImages.decode(in.readAllBytes());
                }
                assertThat(decoded.getWidth()).as("width of %s, output of image %d", key, n).isEqualTo(20 + n);
                assertThat(decoded.getHeight()).isEqualTo(15);
            }
        }
        assertThat(keys).hasSize(IMAGES_PER_REQUEST);
        return keys;
    }

    private Path writeCsv(Path file, int request) throws IOException {
        StringBuilder csv = new StringBuilder("serial_no,product_name,input_image_urls\r\n");
        int n = request * IMAGES_PER_REQUEST;
        for (int row = 1; row <= ROWS; row++) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < PER_ROW; i++) {
                urls.add(server.url("/img/" + (++n) + ".jpg").toString());
            }
            csv.append(row).append(",Product ").append(row).append(",\"").append(String.join(",", urls)).append("\"\r\n");
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private Process startChild(Path work, Storage storage, List<Path> csvs, List<String> accepted) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", testClassPath()));
        command.addAll(storage.childCommand());
        command.addAll(List.of(plan.point().name(), Integer.toString(plan.k()), server.url("/hook").toString()));
        csvs.forEach(csv -> command.add(csv.toString()));
        Process child = new ProcessBuilder(command).redirectError(work.resolve("child.log").toFile()).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ACCEPTED ")) {
                        accepted.add(line.substring("ACCEPTED ".length()).trim());
                    } else if (line.startsWith("KILLPOINT ") || line.equals("NOT_KILLED")) {
                        marker.complete(line);
                    }
                }
            } catch (IOException e) {
                // the child died; its output ends here
            }
            marker.complete("(the child's output ended without a kill point)");
        }, "kill-scenario-child-output");
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    /**
     * The test classpath. Surefire may start the JVM through a manifest-only jar, leaving
     * {@code java.class.path} with that jar alone; it then puts the real classpath in
     * {@code surefire.test.class.path}.
     */
    public static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String cp = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        assertThat(cp.split(File.pathSeparator)).as("the child's classpath").hasSizeGreaterThan(1);
        return cp;
    }

    private int imageRequests() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Output CSV spools of these requests in the temporary directory. */
    private static List<String> spools(List<String> ids) throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), "imagebatch-*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (ids.stream().anyMatch(id -> name.startsWith("imagebatch-" + id))) {
                    found.add(file.toString());
                }
            }
        }
        return found;
    }

    private static String log(Path work) {
        Path file = work.resolve("child.log");
        try {
            return Files.exists(file) ? Files.readString(file) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        childDead.countDown();
        server.close();
    }
}
