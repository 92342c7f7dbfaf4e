package dev.imagebatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.SubmitOptions;
import dev.imagebatch.WebhookDelivery;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.FetchOutcome;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.memory.InMemoryStatusStore;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;
import okio.Buffer;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Image servers and webhook receivers that misbehave in every usual way: each request still reaches
 * a terminal state within the configured deadlines, retries stay bounded and counted, and a stuck
 * webhook never holds up image work.
 */
class FaultyServersTest {

    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final int ATTEMPTS = 3;

    private final MockWebServer images = new MockWebServer();
    private final MockWebServer hooks = new MockWebServer();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<FetchOutcome> outcomes = new CopyOnWriteArrayList<>();
    private final byte[] jpeg = TestImages.jpeg(64, 48, Color.ORANGE, Color.BLUE);
    private OkHttpImageFetcher fetcher;
    private ImageProcessingService service;

    @BeforeEach
    void start() throws Exception {
        AtomicInteger flaky = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        images.setDispatcher(new Dispatcher() {
            @Override
            public @NotNull MockResponse dispatch(@NotNull RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                return switch (path) {
                    case "/ok.jpg" -> image();
                    case "/slow-headers.jpg" -> new MockResponse.Builder(image())
                            .headersDelay(5, TimeUnit.SECONDS).build();
                    case "/hang-after-headers.jpg" -> new MockResponse.Builder(image())
                            .bodyDelay(5, TimeUnit.SECONDS).build();
                    case "/trickle.jpg" -> new MockResponse.Builder(image())
                            .throttleBody(64, 300, TimeUnit.MILLISECONDS).build();
                    case "/lying-length.jpg" -> new MockResponse.Builder().code(200)
                            .setHeader("Content-Type", "image/jpeg")
                            .body(new LyingBody(jpeg, jpeg.length * 2L))
                            .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build();
                    case "/503-then-ok.jpg" -> flaky.getAndIncrement() == 0
                            ? new MockResponse.Builder().code(503).build() : image();
                    case "/429-retry-after.jpg" -> limited.getAndIncrement() == 0
                            ? new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build() : image();
                    case "/always-503.jpg" -> new MockResponse.Builder().code(503).build();
                    case "/reset-mid-body.jpg" -> resetMidBody();
                    default -> new MockResponse.Builder().code(404).build();
                };
            }
        });
        images.start(InetAddress.getByName("127.0.0.1"), 0);
        hooks.start(InetAddress.getByName("127.0.0.1"), 0);
        AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.0/8");
        fetcher = OkHttpImageFetcher.builder()
                .addressPolicy(loopback)
                .readTimeout(READ_TIMEOUT)
                .callTimeout(CALL_TIMEOUT)
                .maxAttempts(ATTEMPTS)
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(100))
                .listener(outcomes::add)
                .build();
        service = ImageProcessingService.builder()
                .statusStore(new InMemoryStatusStore())
                .resultPublisher(new InMemoryResultPublisher())
                .imageFetcher(fetcher)
                .settings(ProcessingSettings.builder().fetchConcurrency(8).build())
                .webhook(WebhookSettings.builder().addressPolicy(loopback).timeout(Duration.ofMillis(300))
                        .maxAttempts(2).initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(50)).build())
                .build();
    }

    @AfterEach
    void stop() {
        service.close();
        fetcher.close();
        images.close();
        hooks.close();
    }

    /** Declares more bytes than it sends; the connection then closes. */
    private static final class LyingBody implements MockResponseBody {
        private final byte[] bytes;
        private final long declared;

        LyingBody(byte[] bytes, long declared) {
            this.bytes = bytes;
            this.declared = declared;
        }

        @Override
        public long getContentLength() {
            return declared;
        }

        @Override
        public void writeTo(@NotNull BufferedSink sink) throws IOException {
            sink.write(bytes);
            sink.flush();
        }
    }

    private MockResponse image() {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "image/jpeg")
                .body(new Buffer().write(jpeg)).build();
    }

    /** Sends the headers and part of the body, then closes the socket. */
    private MockResponse resetMidBody() {
        return new MockResponse.Builder(image()).throttleBody(jpeg.length / 3, 10, TimeUnit.MILLISECONDS)
                .onResponseBody(new SocketEffect.CloseSocket()).build();
    }

    private String url(String path) {
        return images.url(path).toString();
    }

    @Test
    void everyMisbehavingServerEndsInATerminalStateWithinItsDeadlines() throws Exception {
        List<String> paths = List.of("/ok.jpg", "/slow-headers.jpg", "/hang-after-headers.jpg", "/trickle.jpg",
                "/lying-length.jpg", "/503-then-ok.jpg", "/429-retry-after.jpg", "/always-503.jpg",
                "/reset-mid-body.jpg");
        StringBuilder cell = new StringBuilder();
        for (String path : paths) {
            cell.append(cell.length() == 0 ? "" : ",").append(url(path));
        }
        long started = System.nanoTime();
        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,faults,\"" + cell + "\""));

        // Worst case per image: ATTEMPTS calls of CALL_TIMEOUT plus backoff; everything runs in parallel.
        RequestStatus done = service.await(id).get(ATTEMPTS * CALL_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(done.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS);
        assertThat(seconds).as("bounded by the configured deadlines").isLessThan(ATTEMPTS * CALL_TIMEOUT.toSeconds() + 10);
        List<String> results = service.images(id).stream()
                .map(r -> r.error().map(e -> e.code().name() + (e.httpStatus() > 0 ? " " + e.httpStatus() : "")).orElse("ok"))
                .toList();
        assertThat(results).containsExactly("ok", "TIMEOUT", "TIMEOUT", "TIMEOUT", "INCOMPLETE_BODY", "ok", "ok",
                "HTTP_STATUS 503", "INCOMPLETE_BODY");
        assertThat(hits.get("/reset-mid-body.jpg")).as("body errors are not retried (documented)").hasValue(1);
        assertThat(hits.get("/503-then-ok.jpg")).hasValue(2);
        assertThat(hits.get("/429-retry-after.jpg")).hasValue(2);
        assertThat(hits.get("/always-503.jpg")).as("retries are bounded").hasValue(ATTEMPTS);
        assertThat(outcomes).hasSize(paths.size()).allSatisfy(o -> assertThat(o.attempts()).isBetween(1, ATTEMPTS));
        assertThat(outcomes.stream().mapToInt(FetchOutcome::attempts).sum())
                .as("attempts are counted").isEqualTo(hits.values().stream().mapToInt(AtomicInteger::get).sum());
    }

    @Test
    void aHangingWebhookReceiverNeverHoldsUpImageWork() throws Exception {
        for (int i = 0; i < 2; i++) {
            hooks.enqueue(new MockResponse.Builder().code(200).headersDelay(10, TimeUnit.SECONDS).build());
        }
        URI hook = URI.create(hooks.url("/hook").toString());
        String first = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,a," + url("/ok.jpg")),
                SubmitOptions.webhook(hook));
        assertThat(service.await(first).get(10, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
        String second = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,b," + url("/503-then-ok.jpg")));
        assertThat(service.await(second).get(10, TimeUnit.SECONDS).state())
                .as("a second request finishes while the first one's webhook hangs").isEqualTo(RequestState.COMPLETED);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        WebhookDelivery delivery = service.status(first).orElseThrow().webhook();
        while (delivery.state() != WebhookDelivery.State.FAILED && System.nanoTime() < deadline) {
            Thread.sleep(20);
            delivery = service.status(first).orElseThrow().webhook();
        }
        assertThat(delivery.state()).isEqualTo(WebhookDelivery.State.FAILED);
        assertThat(delivery.attempts()).isEqualTo(2);
        assertThat(delivery.lastError()).hasValueSatisfying(e -> assertThat(e).containsIgnoringCase("timeout"));
    }

    @Test
    void anUnreachableWebhookReceiverEndsFailedAfterItsAttempts() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,a," + url("/ok.jpg")),
                SubmitOptions.webhook(URI.create("http://127.0.0.1:" + closedPort + "/hook")));
        assertThat(service.await(id).get(10, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        WebhookDelivery delivery = service.status(id).orElseThrow().webhook();
        while (delivery.state() != WebhookDelivery.State.FAILED && System.nanoTime() < deadline) {
            Thread.sleep(20);
            delivery = service.status(id).orElseThrow().webhook();
        }
        assertThat(delivery.state()).isEqualTo(WebhookDelivery.State.FAILED);
        assertThat(delivery.lastHttpStatus()).isZero();
        List<ImageResult> results = service.images(id);
        assertThat(results).allMatch(ImageResult::succeeded);
    }
}
