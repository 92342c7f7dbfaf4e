package dev.imagebatch.http;

import static dev.imagebatch.http.Fetches.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.FetchedImage;
import dev.imagebatch.spi.ImageFailureException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OkHttpImageFetcherTest {

    private MockWebServer server;
    private TestNet.ConnectRecorder recorder;
    private OkHttpClient base;
    private final List<FetchOutcome> outcomes = new CopyOnWriteArrayList<>();
    private OkHttpImageFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        server = TestNet.server();
        recorder = new TestNet.ConnectRecorder();
        base = TestNet.baseClient(Map.of("images.test", TestNet.LOOPBACK_V4), recorder);
        fetcher = builder().build();
    }

    @AfterEach
    void stop() {
        fetcher.close();
        server.close();
        TestNet.shutdown(base);
    }

    private OkHttpImageFetcher.Builder builder() {
        return TestNet.fetcher(base, TestNet.LOOPBACK_ALLOWED).listener(outcomes::add);
    }

    private OkHttpImageFetcher rebuild(OkHttpImageFetcher.Builder builder) {
        fetcher.close();
        fetcher = builder.build();
        return fetcher;
    }

    private String url(String path) {
        return TestNet.url(server, path);
    }

    private FetchOutcome lastOutcome() {
        assertThat(outcomes).isNotEmpty();
        return outcomes.get(outcomes.size() - 1);
    }

    @Test
    void successReturnsBytesContentTypeAndUrl() throws Exception {
        server.enqueue(new MockResponse.Builder().body("PNG-BYTES").setHeader("Content-Type", "image/png").build());

        FetchedImage image = fetcher.fetch(URI.create(url("/a.png?v=1")));

        assertThat(image.toByteArray()).isEqualTo("PNG-BYTES".getBytes(StandardCharsets.UTF_8));
        assertThat(image.contentType()).contains("image/png");
        assertThat(image.finalUrl()).isEqualTo(URI.create(url("/a.png?v=1")));
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getHeaders().get("User-Agent")).startsWith("imagebatch/");
        assertThat(request.getHeaders().get("Accept")).contains("image/");
        assertThat(lastOutcome().succeeded()).isTrue();
        assertThat(lastOutcome().attempts()).isEqualTo(1);
        assertThat(lastOutcome().bytes()).isEqualTo(9);
        assertThat(lastOutcome().url()).isEqualTo(url("/a.png?..."));
    }

    @Test
    void namesResolveThroughTheHostClientsDns() throws Exception {
        server.enqueue(new MockResponse.Builder().body("x").build());
        FetchedImage image = fetcher.fetch(URI.create("http://images.test:" + server.getPort() + "/x"));
        assertThat(image.size()).isEqualTo(1);
        assertThat(server.takeRequest().getHeaders().get("Host")).isEqualTo("images.test:" + server.getPort());
    }

    @Test
    void customUserAgentIsSent() throws Exception {
        rebuild(builder().userAgent("shop-images/2.0"));
        server.enqueue(new MockResponse.Builder().body("x").build());
        fetcher.fetch(URI.create(url("/")));
        assertThat(server.takeRequest().getHeaders().get("User-Agent")).isEqualTo("shop-images/2.0");
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void followsRedirectsAndReportsTheFinalUrl(int status) throws Exception {
        server.enqueue(new MockResponse.Builder().code(status).setHeader("Location", "/final.jpg").build());
        server.enqueue(new MockResponse.Builder().body("JPEG").setHeader("Content-Type", "image/jpeg").build());

        FetchedImage image = fetcher.fetch(URI.create(url("/start")));

        assertThat(new String(image.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("JPEG");
        assertThat(image.finalUrl()).isEqualTo(URI.create(url("/final.jpg")));
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(lastOutcome().redirects()).isEqualTo(1);
    }

    @Test
    void absoluteRedirectToANameIsFollowed() throws Exception {
        server.enqueue(new MockResponse.Builder().code(302)
                .setHeader("Location", "http://images.test:" + server.getPort() + "/b").build());
        server.enqueue(new MockResponse.Builder().body("B").build());
        FetchedImage image = fetcher.fetch(URI.create(url("/a")));
        assertThat(image.finalUrl().getHost()).isEqualTo("images.test");
    }

    @Test
    void redirectLoopStopsAtTheLimit() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(302).setHeader("Location", "/loop").build();
            }
        });
        failure(fetcher, url("/loop"), ErrorCode.TOO_MANY_REDIRECTS);
        assertThat(server.getRequestCount()).isEqualTo(6);
    }

    @Test
    void redirectsBeyondTheLimitAreRefused() {
        rebuild(builder().maxRedirects(1));
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/2").build());
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/3").build());
        server.enqueue(new MockResponse.Builder().body("never").build());
        failure(fetcher, url("/1"), ErrorCode.TOO_MANY_REDIRECTS);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void zeroMaxRedirectsRefusesEveryRedirect() {
        rebuild(builder().maxRedirects(0));
        server.enqueue(new MockResponse.Builder().code(301).setHeader("Location", "/2").build());
        failure(fetcher, url("/1"), ErrorCode.TOO_MANY_REDIRECTS);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void redirectWithoutLocationIsRefused() {
        server.enqueue(new MockResponse.Builder().code(302).build());
        failure(fetcher, url("/a"), ErrorCode.REDIRECT_REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://images.test/a.png", "file:///etc/passwd", "gopher://images.test/", "javascript:alert(1)",
        "data:image/png;base64,AAAA", "http://[::1", "http://256.0.0.1/a", "http://a b/"})
    void redirectToAnUnusableLocationIsRefused(String location) {
        server.enqueue(new MockResponse.Builder().code(302).addHeaderLenient("Location", location).build());
        failure(fetcher, url("/a"), ErrorCode.REDIRECT_REFUSED);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void notFoundIsNotRetried() {
        server.enqueue(new MockResponse.Builder().code(404).body("missing").build());
        ImageFailureException e = failure(fetcher, url("/missing"), ErrorCode.HTTP_STATUS);
        assertThat(e.error().httpStatus()).isEqualTo(404);
        assertThat(e.error().message()).isEqualTo("HTTP 404");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(lastOutcome().attempts()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 410, 418, 451})
    void otherClientErrorsAreNotRetried(int status) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(status).build();
            }
        });
        ImageFailureException e = failure(fetcher, url("/x"), ErrorCode.HTTP_STATUS);
        assertThat(e.error().httpStatus()).isEqualTo(status);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void serviceUnavailableThenSuccessRecoversWithExactlyTwoRequests() throws Exception {
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder().body("ok").build());

        FetchedImage image = fetcher.fetch(URI.create(url("/flaky")));

        assertThat(image.size()).isEqualTo(2);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(lastOutcome().attempts()).isEqualTo(2);
    }

    @Test
    void persistentServerErrorIsRetriedUpToMaxAttempts() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(500).build();
            }
        });
        ImageFailureException e = failure(fetcher, url("/broken"), ErrorCode.HTTP_STATUS);
        assertThat(e.error().httpStatus()).isEqualTo(500);
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(lastOutcome().attempts()).isEqualTo(3);
    }

    @Test
    void singleAttemptDisablesRetries() {
        rebuild(builder().maxAttempts(1));
        server.enqueue(new MockResponse.Builder().code(502).build());
        server.enqueue(new MockResponse.Builder().body("never").build());
        failure(fetcher, url("/x"), ErrorCode.HTTP_STATUS);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void tooManyRequestsHonoursRetryAfterSeconds() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build());
        server.enqueue(new MockResponse.Builder().body("ok").build());

        long started = System.nanoTime();
        fetcher.fetch(URI.create(url("/limited")));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(server.getRequestCount()).isEqualTo(2);
        // The jittered backoff would be at most 50 ms here; only Retry-After explains a full second.
        assertThat(elapsedMillis).isBetween(950L, 3000L);
    }

    @Test
    void retryAfterLongerThanTheCeilingEndsTheFetchAtOnce() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").build());
        server.enqueue(new MockResponse.Builder().body("never").build());

        long started = System.nanoTime();
        ImageFailureException e = failure(fetcher, url("/limited"), ErrorCode.HTTP_STATUS);

        assertThat(e.error().httpStatus()).isEqualTo(429);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1000);
    }

    @Test
    void tooManyRequestsWithoutRetryAfterIsRetriedWithBackoff() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).build());
        server.enqueue(new MockResponse.Builder().code(429).build());
        server.enqueue(new MockResponse.Builder().code(429).build());
        server.enqueue(new MockResponse.Builder().body("never").build());
        ImageFailureException e = failure(fetcher, url("/limited"), ErrorCode.HTTP_STATUS);
        assertThat(e.error().httpStatus()).isEqualTo(429);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void refusedConnectionIsRetriedThenReported() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, TestNet.LOOPBACK_V4)) {
            closedPort = socket.getLocalPort();
        }
        long started = System.nanoTime();
        failure(fetcher, "http://127.0.0.1:" + closedPort + "/x", ErrorCode.CONNECTION_ERROR);
        assertThat(lastOutcome().attempts()).isEqualTo(3);
        assertThat(recorder.connects).hasSize(3);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
    }

    @Test
    void connectTimeoutIsRetriedThenReportedAsTimeout() throws Exception {
        // A listener that never accepts: once its accept queue is full, Linux drops further SYNs,
        // so connecting hangs until the connect timeout.
        try (ServerSocket deaf = new ServerSocket(0, 1, TestNet.LOOPBACK_V4)) {
            List<java.net.Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    java.net.Socket filler = new java.net.Socket();
                    try {
                        filler.connect(deaf.getLocalSocketAddress(), 200);
                        fillers.add(filler);
                    } catch (java.net.SocketTimeoutException e) {
                        filler.close();
                        break;
                    }
                }
                rebuild(builder().connectTimeout(Duration.ofMillis(200)));
                long started = System.nanoTime();
                ImageFailureException e = failure(fetcher, "http://127.0.0.1:" + deaf.getLocalPort() + "/x", ErrorCode.TIMEOUT);
                assertThat(e.getMessage()).contains("connecting");
                assertThat(lastOutcome().attempts()).isEqualTo(3);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(550L, 2000L);
            } finally {
                for (java.net.Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void disconnectBeforeResponseIsRetried() throws Exception {
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(new MockResponse.Builder().body("ok").build());
        assertThat(fetcher.fetch(URI.create(url("/x"))).size()).isEqualTo(2);
        assertThat(lastOutcome().attempts()).isEqualTo(2);
    }

    @Test
    void unknownHostIsReportedWithoutRetry() {
        failure(fetcher, "http://nowhere.test/a.png", ErrorCode.UNKNOWN_HOST);
        assertThat(lastOutcome().attempts()).isEqualTo(1);
        assertThat(recorder.connects).isEmpty();
    }

    @Test
    void emptyBodyIsReported() {
        server.enqueue(new MockResponse.Builder().body("").build());
        failure(fetcher, url("/empty"), ErrorCode.EMPTY_BODY);
    }

    @Test
    void noContentIsAnEmptyBody() {
        server.enqueue(new MockResponse.Builder().code(204).build());
        failure(fetcher, url("/empty"), ErrorCode.EMPTY_BODY);
    }

    @Test
    void connectionCutBeforeTheDeclaredLengthIsIncomplete() {
        server.enqueue(new MockResponse.Builder()
                .body(new FixedBody(100, 1000))
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
                .build());
        failure(fetcher, url("/cut"), ErrorCode.INCOMPLETE_BODY);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void bodyOfExactlyTheLimitIsAccepted() throws Exception {
        rebuild(builder().maxBytes(1000));
        server.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[1000])).build());
        assertThat(fetcher.fetch(URI.create(url("/a"))).size()).isEqualTo(1000);
    }

    @Test
    void declaredLengthAboveTheLimitFailsEarly() {
        rebuild(builder().maxBytes(1000));
        server.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[1001])).build());
        failure(fetcher, url("/big"), ErrorCode.TOO_LARGE);
    }

    @Test
    void chunkedBodyAboveTheLimitIsTooLarge() {
        rebuild(builder().maxBytes(1000));
        server.enqueue(new MockResponse.Builder().chunkedBody(new Buffer().write(new byte[5000]), 300).build());
        failure(fetcher, url("/big"), ErrorCode.TOO_LARGE);
    }

    @Test
    void lyingContentLengthDoesNotBypassTheLimit() {
        rebuild(builder().maxBytes(1000));
        // Chunked framing wins over Content-Length, so the small declared length is a lie.
        server.enqueue(new MockResponse.Builder()
                .chunkedBody(new Buffer().write(new byte[5000]), 500)
                .addHeader("Content-Length", "10")
                .build());
        failure(fetcher, url("/liar"), ErrorCode.TOO_LARGE);
    }

    @Test
    void endlessBodyWithoutLengthIsTooLarge() {
        rebuild(builder().maxBytes(64 * 1024));
        server.enqueue(new MockResponse.Builder().body(new EndlessBody()).build());
        long started = System.nanoTime();
        failure(fetcher, url("/endless"), ErrorCode.TOO_LARGE);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
    }

    @Test
    void tricklingBodyHitsTheCallTimeout() {
        // One byte every 100 ms never trips the 300 ms read timeout; only the 2 s call timeout stops it.
        server.enqueue(new MockResponse.Builder()
                .body(new Buffer().write(new byte[200]))
                .throttleBody(1, 100, TimeUnit.MILLISECONDS)
                .build());
        long started = System.nanoTime();
        ImageFailureException e = failure(fetcher, url("/trickle"), ErrorCode.TIMEOUT);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(elapsedMillis).isBetween(1800L, 3500L);
        assertThat(e.getMessage()).contains("call timeout");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void serverHangingAfterHeadersHitsTheReadTimeout() {
        server.enqueue(new MockResponse.Builder().body("late").bodyDelay(10, TimeUnit.SECONDS).build());
        long started = System.nanoTime();
        failure(fetcher, url("/hang"), ErrorCode.TIMEOUT);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 1500L);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void serverHangingBeforeHeadersHitsTheReadTimeoutAndIsNotRetried() {
        server.enqueue(new MockResponse.Builder().body("late").headersDelay(10, TimeUnit.SECONDS).build());
        long started = System.nanoTime();
        failure(fetcher, url("/hang"), ErrorCode.TIMEOUT);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 1500L);
        assertThat(lastOutcome().attempts()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://images.test/a.png", "file:///etc/passwd", "gopher://images.test/", "mailto:a@images.test",
        "data:image/png;base64,AAAA", "jar:file:/x.jar!/a.png", "HTTPX://images.test/"})
    void onlyHttpAndHttpsAreSupported(String url) {
        failure(fetcher, url, ErrorCode.UNSUPPORTED_SCHEME);
        assertThat(recorder.connects).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/a.png", "/absolute/path.png", "http:/one-slash", "http:///no-host", "http://127.0.0.1:99999/",
        "http://[fe80::1%25eth0]/", "http://256.1.1.1/", "http://1.2.3.4.5/", "http://4294967296/", "http://09.1.1.1/",
        "http://example.123/"})
    void malformedUrlsAreInvalid(String url) {
        failure(fetcher, url, ErrorCode.INVALID_URL);
        assertThat(lastOutcome().attempts()).isZero();
        assertThat(recorder.connects).isEmpty();
    }

    @Test
    void listenerFailureDoesNotBreakTheFetch() throws Exception {
        rebuild(builder().listener(outcome -> {
            throw new IllegalStateException("listener bug");
        }));
        server.enqueue(new MockResponse.Builder().body("x").build());
        assertThat(fetcher.fetch(URI.create(url("/x"))).size()).isEqualTo(1);
    }

    /** Declares {@code declared} bytes but writes only {@code actual}. */
    private static final class FixedBody implements MockResponseBody {
        private final int actual;
        private final long declared;

        FixedBody(int actual, long declared) {
            this.actual = actual;
            this.declared = declared;
        }

        @Override
        public long getContentLength() {
            return declared;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(new byte[actual]);
            sink.flush();
        }
    }

    /** A body without declared length that would go on for 256 MiB. */
    private static final class EndlessBody implements MockResponseBody {
        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            byte[] chunk = new byte[8192];
            for (int i = 0; i < 32 * 1024; i++) {
                sink.write(chunk);
            }
        }
    }
}
