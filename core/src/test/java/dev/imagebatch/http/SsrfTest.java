package dev.imagebatch.http;

import static dev.imagebatch.http.Fetches.failure;
import static dev.imagebatch.http.Ips.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.FetchedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way of naming a refused address must be refused before any connection is even started,
 * with the target server listening on loopback so that a missed check would reach it.
 */
class SsrfTest {

    private static final Map<String, InetAddress> NAMES = Map.of(
            "images.test", TestNet.LOOPBACK_V4,
            "rebind.test", TestNet.LOOPBACK_V4,
            "mapped.test", ip("::ffff:127.0.0.1"),
            "metadata.test", ip("169.254.169.254"),
            "intranet.test", ip("10.0.0.7"),
            "v6private.test", ip("fd00::7"),
            "cgnat.test", ip("100.64.0.7"));

    private MockWebServer server;
    private TestNet.ConnectRecorder recorder;
    private OkHttpClient base;
    private OkHttpImageFetcher publicOnly;
    private OkHttpImageFetcher loopbackAllowed;

    @BeforeEach
    void start() throws IOException {
        server = TestNet.server();
        recorder = new TestNet.ConnectRecorder();
        base = TestNet.baseClient(NAMES, recorder);
        publicOnly = TestNet.fetcher(base, AddressPolicy.publicOnly()).build();
        loopbackAllowed = TestNet.fetcher(base, TestNet.LOOPBACK_ALLOWED).build();
    }

    @AfterEach
    void stop() {
        publicOnly.close();
        loopbackAllowed.close();
        server.close();
        TestNet.shutdown(base);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.1", "127.0.1", "2130706433", "0x7f000001", "0X7F000001", "017700000001", "0177.0.0.1",
        "0x7f.1", "0x7f.0.0.1", "127.000.000.001", "127.0.0.1.", "127.1.", "0", "0.0.0.0", "0x0",
        "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]", "[::FFFF:127.0.0.1]",
        "[::ffff:0:127.0.0.1]", "[::127.0.0.1]", "[64:ff9b::127.0.0.1]", "[2002:7f00:1::]", "[::1]", "[::]",
        "[0:0:0:0:0:0:0:1]", "localhost", "LOCALHOST", "localhost.", "img.localhost",
        "good.example@127.0.0.1", "user:secret@127.1", "%31%32%37.0.0.1", "①②⑦.0.0.1",
        "rebind.test", "REBIND.TEST", "mapped.test", "metadata.test", "intranet.test", "v6private.test", "cgnat.test",
    })
    void refusedTargetIsBlockedWithoutAnyConnection(String host) {
        failure(publicOnly, "http://" + host + ":" + server.getPort() + "/img.png", ErrorCode.BLOCKED_ADDRESS);
        assertThat(server.getRequestCount()).isZero();
        assertThat(recorder.connects).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1", "0x7f000001", "2130706433", "0177.0.0.1", "127.0.0.1.", "[::ffff:127.0.0.1]", "rebind.test"})
    void theSameSpellingsReachTheServerWhenLoopbackIsAllowed(String host) throws Exception {
        // Proves the refusals above are decisions of the policy, not failures to reach the server.
        server.enqueue(new MockResponse.Builder().body("ok").build());
        FetchedImage image = loopbackAllowed.fetch(URI.create("http://" + host + ":" + server.getPort() + "/img.png"));
        assertThat(image.size()).isEqualTo(2);
        assertThat(recorder.connects).extracting(InetSocketAddress::getAddress).containsOnly(TestNet.LOOPBACK_V4);
    }

    @Test
    void numericHostIsSentInCanonicalForm() throws Exception {
        server.enqueue(new MockResponse.Builder().body("ok").build());
        FetchedImage image = loopbackAllowed.fetch(URI.create("http://0x7f.1:" + server.getPort() + "/a"));
        assertThat(image.finalUrl()).isEqualTo(URI.create("http://127.0.0.1:" + server.getPort() + "/a"));
        assertThat(server.takeRequest().getHeaders().get("Host")).isEqualTo("127.0.0.1:" + server.getPort());
    }

    @Test
    void ipv6LoopbackIsRefusedAndReachableOnlyWhenAllowed() throws Exception {
        try (MockWebServer v6 = TestNet.server(TestNet.LOOPBACK_V6);
             OkHttpImageFetcher v6Allowed = TestNet.fetcher(base, AddressPolicy.publicOnly().allow("::1/128")).build()) {
            String url = "http://[::1]:" + v6.getPort() + "/img.png";
            failure(publicOnly, url, ErrorCode.BLOCKED_ADDRESS);
            assertThat(v6.getRequestCount()).isZero();

            v6.enqueue(new MockResponse.Builder().body("v6").build());
            assertThat(v6Allowed.fetch(URI.create(url)).size()).isEqualTo(2);
            assertThat(v6.getRequestCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://intranet.test/admin", "http://metadata.test/latest/meta-data/", "http://169.254.169.254/",
        "http://10.0.0.1/", "http://0xa000001/", "http://[::ffff:10.0.0.1]/", "http://[fd00::1]/", "http://[::1]:%d/",
        "http://v6private.test/", "//intranet.test/protocol-relative"})
    void redirectToARefusedAddressIsBlockedWithoutContactingIt(String location) {
        server.enqueue(new MockResponse.Builder().code(302)
                .setHeader("Location", location.replace("%d", Integer.toString(server.getPort()))).build());

        failure(loopbackAllowed, TestNet.url(server, "/start"), ErrorCode.BLOCKED_ADDRESS);

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(recorder.connects).extracting(InetSocketAddress::getAddress).containsOnly(TestNet.LOOPBACK_V4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.2", "2130706434", "0x7f000002", "127.2", "[::ffff:127.0.0.2]"})
    void redirectToASecondServerOnARefusedAddressNeverReachesIt(String host) throws IOException {
        AddressPolicy onlyFirstServer = AddressPolicy.publicOnly().allow("127.0.0.1/32");
        try (MockWebServer second = TestNet.server(ip("127.0.0.2"));
             OkHttpImageFetcher fetcher = TestNet.fetcher(base, onlyFirstServer).build()) {
            second.enqueue(new MockResponse.Builder().body("secret").build());
            server.enqueue(new MockResponse.Builder().code(307)
                    .setHeader("Location", "http://" + host + ":" + second.getPort() + "/internal").build());

            failure(fetcher, TestNet.url(server, "/start"), ErrorCode.BLOCKED_ADDRESS);

            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(second.getRequestCount()).isZero();
            assertThat(recorder.connects).extracting(InetSocketAddress::getAddress).containsOnly(TestNet.LOOPBACK_V4);
        }
    }

    @Test
    void redirectToASecondAllowedServerIsFollowed() throws Exception {
        try (MockWebServer second = TestNet.server(ip("127.0.0.2"))) {
            second.enqueue(new MockResponse.Builder().body("moved").build());
            server.enqueue(new MockResponse.Builder().code(301)
                    .setHeader("Location", "http://127.0.0.2:" + second.getPort() + "/moved").build());

            FetchedImage image = loopbackAllowed.fetch(URI.create(TestNet.url(server, "/start")));

            assertThat(image.finalUrl()).isEqualTo(URI.create("http://127.0.0.2:" + second.getPort() + "/moved"));
            assertThat(second.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void dnsSwappedInByAHostInterceptorIsStillGuarded() {
        // An application interceptor of the host client replaces the DNS for the call; the guard
        // must wrap whatever DNS the call ends up with.
        OkHttpClient sneaky = base.newBuilder()
                .addInterceptor(chain -> chain.withDns(new TestNet.FakeDns(Map.of("evil.test", TestNet.LOOPBACK_V4)))
                        .proceed(chain.request()))
                .build();
        try (OkHttpImageFetcher fetcher = TestNet.fetcher(sneaky, AddressPolicy.publicOnly()).build()) {
            failure(fetcher, "http://evil.test:" + server.getPort() + "/", ErrorCode.BLOCKED_ADDRESS);
        }
        assertThat(server.getRequestCount()).isZero();
        assertThat(recorder.connects).isEmpty();
    }

    @Test
    void connectionThatEndsUpAtARefusedPeerIsStoppedBeforeTheRequestIsSent() {
        // The name resolves to an allowed public address, but the host's socket factory lands the
        // connection on loopback (as a transparent redirector would). Only the check of the live
        // connection can notice; no packet ever leaves the machine.
        OkHttpClient redirecting = base.newBuilder()
                .dns(new TestNet.FakeDns(Map.of("public.test", ip("93.184.216.34"))))
                .socketFactory(new TestNet.RedirectingSocketFactory(new InetSocketAddress(TestNet.LOOPBACK_V4, server.getPort())))
                .build();
        try (OkHttpImageFetcher fetcher = TestNet.fetcher(redirecting, AddressPolicy.publicOnly()).maxAttempts(1).build()) {
            failure(fetcher, "http://public.test:" + server.getPort() + "/", ErrorCode.BLOCKED_ADDRESS);
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void proxyOfTheHostClientIsNotUsed() throws Exception {
        try (MockWebServer proxy = TestNet.server()) {
            OkHttpClient proxied = base.newBuilder()
                    .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(TestNet.LOOPBACK_V4, proxy.getPort())))
                    .build();
            try (OkHttpImageFetcher fetcher = TestNet.fetcher(proxied, TestNet.LOOPBACK_ALLOWED).build()) {
                server.enqueue(new MockResponse.Builder().body("direct").build());
                proxy.enqueue(new MockResponse.Builder().body("proxied").build());

                FetchedImage image = fetcher.fetch(URI.create("http://images.test:" + server.getPort() + "/a"));

                assertThat(new String(image.toByteArray(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("direct");
                assertThat(proxy.getRequestCount()).isZero();
            }
        }
    }
}
