package dev.imagebatch.http;

import static dev.imagebatch.http.Ips.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guarded client as another component (such as a webhook sender) would use it. */
class GuardedClientTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private MockWebServer server;
    private TestNet.ConnectRecorder recorder;
    private OkHttpClient base;

    @BeforeEach
    void start() throws IOException {
        server = TestNet.server();
        recorder = new TestNet.ConnectRecorder();
        base = TestNet.baseClient(Map.of("hooks.test", TestNet.LOOPBACK_V4, "internal.test", ip("192.168.1.10")), recorder);
    }

    @AfterEach
    void stop() {
        server.close();
        TestNet.shutdown(base);
    }

    private OkHttpClient guarded(AddressPolicy policy) {
        return GuardedClient.create(base, policy, SECOND, SECOND, Duration.ofSeconds(2));
    }

    private static Request post(String url) {
        return new Request.Builder().url(url).post(RequestBody.create("{}", MediaType.get("application/json"))).build();
    }

    @Test
    void allowedPostGoesThroughAndRedirectsAreNotFollowed() throws Exception {
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "http://internal.test/").build());
        try (Response response = guarded(TestNet.LOOPBACK_ALLOWED)
                .newCall(post("http://hooks.test:" + server.getPort() + "/hook")).execute()) {
            assertThat(response.code()).isEqualTo(302);
        }
        assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{}");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.1:%d/hook", "http://[::ffff:127.0.0.1]:%d/hook", "http://hooks.test:%d/hook",
        "http://internal.test/hook", "http://localhost:%d/hook"})
    void refusedTargetsFailWithBlockedAddressException(String url) {
        OkHttpClient client = guarded(AddressPolicy.publicOnly());
        assertThatThrownBy(() -> client.newCall(post(url.replace("%d", Integer.toString(server.getPort())))).execute())
                .isInstanceOf(BlockedAddressException.class)
                .hasMessageNotContaining("192.168");
        assertThat(server.getRequestCount()).isZero();
        assertThat(recorder.connects).isEmpty();
    }

    @Test
    void malformedNumericHostFailsAsUnknownHost() {
        OkHttpClient client = guarded(AddressPolicy.publicOnly());
        assertThatThrownBy(() -> client.newCall(post("http://1.2.3.4.5/hook")).execute())
                .isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(BlockedAddressException.class);
    }

    @Test
    void guardSettingsAreApplied() {
        OkHttpClient client = guarded(AddressPolicy.publicOnly());
        assertThat(client.followRedirects()).isFalse();
        assertThat(client.followSslRedirects()).isFalse();
        assertThat(client.proxy()).isEqualTo(java.net.Proxy.NO_PROXY);
        assertThat(client.connectTimeoutMillis()).isEqualTo(1000);
        assertThat(client.callTimeoutMillis()).isEqualTo(2000);
        assertThat(client.connectionPool()).isSameAs(base.connectionPool());
        assertThat(base.followRedirects()).as("base unchanged").isTrue();
    }

    @Test
    void connectionGuardAloneStopsARequestToARefusedPeerBeforeItIsSent() {
        // Without the DNS and literal checks, only the check on the live connection remains.
        OkHttpClient onlyConnectionCheck = base.newBuilder()
                .addNetworkInterceptor(new ConnectionGuard(AddressPolicy.publicOnly()))
                .build();
        assertThatThrownBy(() -> onlyConnectionCheck.newCall(post(TestNet.url(server, "/hook"))).execute())
                .isInstanceOf(BlockedAddressException.class);
        assertThat(recorder.connects).hasSize(1);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void guardedDnsKeepsOnlyAllowedAddresses() throws Exception {
        InetAddress intranet = ip("10.0.0.1");
        GuardedDns dns = new GuardedDns(host -> List.of(intranet, TestNet.LOOPBACK_V4, ip("93.184.216.34")),
                TestNet.LOOPBACK_ALLOWED);
        assertThat(dns.lookup("mixed.test")).containsExactly(TestNet.LOOPBACK_V4, ip("93.184.216.34"));
    }

    @Test
    void guardedDnsRefusesNamesWithOnlyRefusedAddressesWithoutNamingThem() {
        GuardedDns dns = new GuardedDns(host -> List.of(ip("10.0.0.1"), ip("fd00::1")), AddressPolicy.publicOnly());
        assertThatThrownBy(() -> dns.lookup("internal.test"))
                .isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("internal.test")
                .hasMessageNotContaining("10.0.0.1")
                .satisfies(e -> assertThat(((BlockedAddressException) e).host()).isEqualTo("internal.test"));
    }

    @Test
    void guardedDnsReportsAnEmptyAnswerAsUnknownHost() {
        GuardedDns dns = new GuardedDns(host -> List.of(), AddressPolicy.publicOnly());
        assertThatThrownBy(() -> dns.lookup("empty.test"))
                .isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(BlockedAddressException.class);
    }

    @Test
    void argumentsAreValidated() {
        assertThatThrownBy(() -> GuardedClient.create(null, AddressPolicy.publicOnly(), SECOND, SECOND, SECOND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base");
        assertThatThrownBy(() -> GuardedClient.create(base, null, SECOND, SECOND, SECOND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy");
        assertThatThrownBy(() -> GuardedClient.create(base, AddressPolicy.publicOnly(), Duration.ZERO, SECOND, SECOND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> GuardedClient.create(base, AddressPolicy.publicOnly(), SECOND, Duration.ofSeconds(-1), SECOND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readTimeout");
        assertThatThrownBy(() -> GuardedClient.create(base, AddressPolicy.publicOnly(), SECOND, SECOND, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callTimeout");
    }
}
