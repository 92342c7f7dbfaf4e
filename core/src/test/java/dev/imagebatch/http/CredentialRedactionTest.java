package dev.imagebatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagebatch.spi.FetchedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Credentials in URLs are dropped: never sent, never in results, messages, stack traces or logs. */
class CredentialRedactionTest {

    private static final String SECRET = "hunter2";

    private MockWebServer server;
    private OkHttpClient base;
    private final List<FetchOutcome> outcomes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = TestNet.server();
        base = TestNet.baseClient(Map.of("images.test", TestNet.LOOPBACK_V4), new TestNet.ConnectRecorder());
    }

    @AfterEach
    void stop() {
        server.close();
        TestNet.shutdown(base);
    }

    @Test
    void credentialsAreNeitherSentNorReturned() throws Exception {
        server.enqueue(new MockResponse.Builder().code(302)
                .setHeader("Location", "http://admin:" + SECRET + "@images.test:" + server.getPort() + "/final").build());
        server.enqueue(new MockResponse.Builder().body("img").build());
        try (OkHttpImageFetcher fetcher = TestNet.fetcher(base, TestNet.LOOPBACK_ALLOWED).listener(outcomes::add).build()) {
            FetchedImage image = fetcher.fetch(URI.create("http://admin:" + SECRET + "@127.0.0.1:" + server.getPort() + "/a"));

            assertThat(image.finalUrl().getUserInfo()).isNull();
            assertThat(image.finalUrl().toString()).doesNotContain(SECRET);
            for (int i = 0; i < 2; i++) {
                RecordedRequest request = server.takeRequest();
                assertThat(request.getHeaders().get("Authorization")).isNull();
                assertThat(request.getHeaders().toString()).doesNotContain(SECRET);
            }
            assertThat(outcomes.get(0).toString()).doesNotContain(SECRET).doesNotContain("admin");
        }
    }

    @Test
    void credentialsAreDroppedFromTheRequestedUrlItself() throws Exception {
        server.enqueue(new MockResponse.Builder().body("img").build());
        try (OkHttpImageFetcher fetcher = TestNet.fetcher(base, TestNet.LOOPBACK_ALLOWED).build()) {
            FetchedImage image = fetcher.fetch(URI.create("http://admin:" + SECRET + "@127.0.0.1:" + server.getPort() + "/a"));
            assertThat(image.finalUrl()).isEqualTo(URI.create("http://127.0.0.1:" + server.getPort() + "/a"));
        }
    }

    @Test
    void failuresNeverMentionCredentials() throws Exception {
        server.enqueue(new MockResponse.Builder().code(404).build());
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "ftp://admin:" + SECRET + "@images.test/").build());
        String[] urls = {
            "http://admin:" + SECRET + "@127.0.0.1:" + server.getPort() + "/missing",
            "http://admin:" + SECRET + "@127.0.0.1:" + server.getPort() + "/redirect",
            "http://admin:" + SECRET + "@127.1/",
            "http://admin:" + SECRET + "@[::1]/",
            "http://admin:" + SECRET + "@nowhere.test/",
            "ftp://admin:" + SECRET + "@images.test/",
            "http://admin:" + SECRET + "@256.1.1.1/",
            "http://admin:" + SECRET + "@127.0.0.1:1/",
        };
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (OkHttpImageFetcher fetcher = TestNet.fetcher(base, AddressPolicy.publicOnly().allow("127.0.0.1/32"))
                .maxAttempts(1).listener(outcomes::add).build()) {
            for (String url : urls) {
                try {
                    fetcher.fetch(URI.create(url));
                    throw new AssertionError("expected a failure for " + url.replace(SECRET, "***"));
                } catch (IOException e) {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    assertThat(trace.toString()).as(url.replace(SECRET, "***")).doesNotContain(SECRET);
                }
            }
        } finally {
            System.setErr(originalErr);
        }
        assertThat(outcomes).hasSize(urls.length);
        assertThat(outcomes.toString()).doesNotContain(SECRET);
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).doesNotContain(SECRET);

        // Only meaningful if DEBUG lines were actually written (other suites may configure logging first).
        assumeTrue(LoggerFactory.getLogger(OkHttpImageFetcher.class).isDebugEnabled(), "DEBUG logging is off");
        assertThat(logged).contains("Fetching http://127.0.0.1:" + server.getPort() + "/missing failed");
    }
}
