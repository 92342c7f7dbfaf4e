package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.imagebatch.examples.ImageHost;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load through {@code serve} (the real command, in this JVM, on file storage): 50 clients upload a
 * 100-row CSV of 3 image URLs per row (from a loopback host) at once. In the normal build each
 * request names {@value #DISTINCT_PER_REQUEST} distinct images, each at 10 positions (1,500 images
 * fetched, encoded and stored, 15,000 results recorded); the {@code reliability-long} profile makes
 * all 15,000 distinct. The
 * service admits {@code maxActiveRequests} (default 16) and refuses the rest with 503 and
 * {@code Retry-After}; clients wait that long and try again, so all 50 complete. Meanwhile another
 * thread polls the status endpoint without pause: its 99th percentile latency must stay under the
 * 100 ms the service promises, and the heap in use after each garbage collection must stay under
 * {@link #HEAP_BOUND_BYTES}.
 */
class ServeLoadTest {

    private static final int CLIENTS = 50;
    private static final int ROWS = 100;
    private static final int PER_ROW = 3;
    private static final int DISTINCT_PER_REQUEST = 30;
    private static final boolean ALL_DISTINCT = Boolean.getBoolean("imagebatch.loadAllDistinct");
    private static final long P99_BOUND_MILLIS = 100;
    /** The bound on the heap in use after a collection while the service works through the load. */
    private static final long HEAP_BOUND_BYTES = 128L * 1024 * 1024;
    private static final MediaType CSV = MediaType.get("text/csv");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void fiftyConcurrentUploadsAllCompleteWhileStatusAnswersFast() throws Exception {
        HeapAfterGc heap = new HeapAfterGc();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(60, TimeUnit.SECONDS).build();
        http.dispatcher().setMaxRequestsPerHost(CLIENTS + 1);
        http.dispatcher().setMaxRequests(CLIENTS + 1);
        try (ImageHost host = new ImageHost(64, 48); ServeInThread serve = ServeInThread.start(data)) {
            URI base = serve.url();

            // A running server has its request paths compiled: warm them up before measuring.
            String warmUp = uploadAndAwait(http, base, "serial_no,product_name,input_image_urls\n1,Warm-up,\""
                    + host.url("warm-up") + "\"\n", new ArrayList<>(), new AtomicInteger()).get("request_id").asText();
            for (int i = 0; i < 300; i++) {
                status(http, base, warmUp);
            }

            List<String> accepted = new CopyOnWriteArrayList<>();
            AtomicInteger refusals = new AtomicInteger();
            StatusPoller poller = new StatusPoller(http, base, accepted);
            Thread pollerThread = new Thread(poller, "status-poller");
            long started = System.nanoTime();
            pollerThread.start();
            List<Future<JsonNode>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String csv = csv(host, c);
                results.add(clients.submit(() -> uploadAndAwait(http, base, csv, accepted, refusals)));
            }
            List<JsonNode> finals = new ArrayList<>();
            for (Future<JsonNode> result : results) {
                finals.add(result.get(10, TimeUnit.MINUTES));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            poller.stop();
            pollerThread.join(10_000);

            assertThat(finals).hasSize(CLIENTS).allSatisfy(status -> {
                assertThat(status.get("state").asText()).isEqualTo("COMPLETED");
                assertThat(status.get("succeeded").asInt()).isEqualTo(ROWS * PER_ROW);
                assertThat(status.get("failed").asInt()).isZero();
            });
            assertThat(Set.copyOf(accepted)).hasSize(CLIENTS);
            assertThat(refusals.get()).as("uploads refused by back-pressure").isPositive();
            // Nothing was stored for a refused upload: one input and one record per accepted request (and the warm-up).
            assertThat(countFiles(data.resolve("input"), ".csv")).isEqualTo(CLIENTS + 1);
            assertThat(countFiles(data.resolve("status"), ".json")).isEqualTo(CLIENTS + 1);
            assertThat(poller.failures).as("status answers other than 200").isEmpty();

            long[] latencies = poller.micros.stream().mapToLong(Long::longValue).sorted().toArray();
            assertThat(latencies.length).as("status samples").isGreaterThan(100);
            long p50 = latencies[(int) Math.ceil(0.50 * latencies.length) - 1];
            long p99 = latencies[(int) Math.ceil(0.99 * latencies.length) - 1];
            long max = latencies[latencies.length - 1];
            System.out.printf("serve load: %d uploads of %d images (%d distinct each) completed in %.1f s; "
                            + "%d refused with 503 and retried; status polled %d times: p50 %.1f ms, p99 %.1f ms, "
                            + "max %.1f ms; heap after GC peak %d MiB (%d collections)%n",
                    CLIENTS, ROWS * PER_ROW, ALL_DISTINCT ? ROWS * PER_ROW : DISTINCT_PER_REQUEST, seconds,
                    refusals.get(), latencies.length, p50 / 1e3, p99 / 1e3, max / 1e3, heap.peak() >> 20,
                    heap.collections());
            assertThat(p99).as("p99 status latency in microseconds").isLessThan(P99_BOUND_MILLIS * 1000);
            assertThat(heap.peak()).as("heap in use after GC").isLessThan(HEAP_BOUND_BYTES);

            assertThat(serve.stop()).isZero(); // stops as on Ctrl-C
        } finally {
            heap.close();
            clients.shutdownNow();
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private static long countFiles(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }

    private static String csv(ImageHost host, int client) {
        StringBuilder csv = new StringBuilder("serial_no,product_name,input_image_urls\n");
        int position = 0;
        for (int row = 1; row <= ROWS; row++) {
            List<String> urls = new ArrayList<>();
            for (int i = 1; i <= PER_ROW; i++) {
                int image = ALL_DISTINCT ? position : position % DISTINCT_PER_REQUEST;
                position++;
                urls.add(host.url("c" + client + "-" + image));
            }
            csv.append(row).append(",Product ").append(row).append(",\"").append(String.join(",", urls)).append("\"\n");
        }
        return csv.toString();
    }

    /** Uploads until accepted (waiting as Retry-After says when refused), then polls until finished. */
    private static JsonNode uploadAndAwait(OkHttpClient http, URI base, String csv, List<String> accepted,
                                           AtomicInteger refusals) throws Exception {
        String id = null;
        while (id == null) {
            Request upload = new Request.Builder().url(base.resolve("api/upload").toString())
                    .post(new MultipartBody.Builder().setType(MultipartBody.FORM)
                            .addFormDataPart("file", "products.csv",
                                    RequestBody.create(csv.getBytes(StandardCharsets.UTF_8), CSV))
                            .build())
                    .build();
            try (Response response = http.newCall(upload).execute()) {
                String body = response.body().string();
                if (response.code() == 503) {
                    String retryAfter = response.header("Retry-After");
                    assertThat(retryAfter).as("Retry-After of a refused upload").isNotNull().matches("\\d+");
                    refusals.incrementAndGet();
                    Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(retryAfter)));
                    continue;
                }
                assertThat(response.code()).as("upload answer: %s", body).isEqualTo(200);
                id = JSON.readTree(body).get("requestId").asText();
            }
        }
        accepted.add(id);
        while (true) {
            JsonNode status = status(http, base, id);
            if (!status.get("status").asText().equals("processing")) {
                return status;
            }
            Thread.sleep(250);
        }
    }

    private static JsonNode status(OkHttpClient http, URI base, String id) throws Exception {
        Request request = new Request.Builder().url(base.resolve("api/status?request_id=" + id).toString()).build();
        try (Response response = http.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            return JSON.readTree(response.body().bytes());
        }
    }

    /** Asks for the status of a random accepted request, again and again, timing each answer. */
    private static final class StatusPoller implements Runnable {
        private final OkHttpClient http;
        private final URI base;
        private final List<String> accepted;
        private final List<Long> micros = new CopyOnWriteArrayList<>();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;

        StatusPoller(OkHttpClient http, URI base, List<String> accepted) {
            this.http = http;
            this.base = base;
            this.accepted = accepted;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    if (accepted.isEmpty()) {
                        Thread.sleep(10);
                        continue;
                    }
                    String id = accepted.get(ThreadLocalRandom.current().nextInt(accepted.size()));
                    Request request = new Request.Builder()
                            .url(base.resolve("api/status?request_id=" + id).toString()).build();
                    long start = System.nanoTime();
                    try (Response response = http.newCall(request).execute()) {
                        response.body().bytes();
                        micros.add((System.nanoTime() - start) / 1_000);
                        if (response.code() != 200) {
                            failures.add(id + ": HTTP " + response.code());
                        }
                    }
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }
    }

    /** The peak of the heap in use right after a garbage collection, over the life of this object. */
    private static final class HeapAfterGc implements NotificationListener, AutoCloseable {
        private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        private final AtomicLong peak = new AtomicLong();
        private final AtomicInteger collections = new AtomicInteger();
        private final List<NotificationEmitter> emitters = new ArrayList<>();

        HeapAfterGc() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(this, null, null);
                    emitters.add(emitter);
                }
            }
        }

        @Override
        public void handleNotification(Notification notification, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                    (CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                    used += pool.getValue().getUsed();
                }
            }
            long total = used;
            peak.accumulateAndGet(total, Math::max);
            collections.incrementAndGet();
        }

        long peak() {
            return peak.get();
        }

        int collections() {
            return collections.get();
        }

        @Override
        public void close() throws Exception {
            for (NotificationEmitter emitter : emitters) {
                emitter.removeNotificationListener(this);
            }
        }
    }
}
