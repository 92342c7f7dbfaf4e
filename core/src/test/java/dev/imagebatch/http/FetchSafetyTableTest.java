package dev.imagebatch.http;

import static dev.imagebatch.http.Fetches.failure;
import static dev.imagebatch.http.Ips.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fetch-safety table: every private, reserved and special-purpose range of IPv4 and IPv6 (first,
 * inner and last address of each), the spellings of those addresses that a URL can carry (decimal,
 * hex, octal, short forms, trailing dot, IPv4-mapped, -translated, -compatible, NAT64 and 6to4 forms
 * for each range's first address, the main ones for the others; compressed, uncompressed and
 * upper-case IPv6), the same addresses behind DNS names and behind redirects from an allowed
 * server, userinfo tricks, redirects to other schemes and redirect loops.
 *
 * <p>The test network makes a missed check visible: every connection the client opens, to whatever
 * address it asked for, lands on one loopback "target" server, whose request log must stay empty.
 * A control run of each address case with {@link AddressPolicy#allowAll()} must reach that server,
 * which proves the refusal is the policy's decision and not an unreachable spelling.
 */
class FetchSafetyTableTest {

    /** A refused range, with addresses at its start, inside and at its end. */
    private record Range(String cidr, String... samples) {
    }

    private static final List<Range> IPV4_RANGES = List.of(
            new Range("0.0.0.0/8", "0.0.0.0", "0.1.2.3", "0.255.255.255"),
            new Range("10.0.0.0/8", "10.0.0.0", "10.20.30.40", "10.255.255.255"),
            new Range("100.64.0.0/10", "100.64.0.0", "100.100.100.200", "100.127.255.255"),
            new Range("127.0.0.0/8", "127.0.0.0", "127.0.0.1", "127.255.255.255"),
            new Range("169.254.0.0/16", "169.254.0.0", "169.254.169.254", "169.254.255.255"),
            new Range("172.16.0.0/12", "172.16.0.0", "172.20.1.2", "172.31.255.255"),
            new Range("192.0.0.0/24", "192.0.0.0", "192.0.0.170", "192.0.0.255"),
            new Range("192.0.2.0/24", "192.0.2.0", "192.0.2.55", "192.0.2.255"),
            new Range("192.88.99.0/24", "192.88.99.0", "192.88.99.1", "192.88.99.255"),
            new Range("192.168.0.0/16", "192.168.0.0", "192.168.1.1", "192.168.255.255"),
            new Range("198.18.0.0/15", "198.18.0.0", "198.18.200.1", "198.19.255.255"),
            new Range("198.51.100.0/24", "198.51.100.0", "198.51.100.7", "198.51.100.255"),
            new Range("203.0.113.0/24", "203.0.113.0", "203.0.113.9", "203.0.113.255"),
            new Range("224.0.0.0/4", "224.0.0.0", "232.1.2.3", "239.255.255.255"),
            new Range("240.0.0.0/4", "240.0.0.0", "250.1.2.3", "255.255.255.255"));

    private static final List<Range> IPV6_RANGES = List.of(
            new Range("::/128", "::"),
            new Range("::1/128", "::1"),
            new Range("100::/64", "100::", "100::1:2:3:4", "100::ffff:ffff:ffff:ffff"),
            new Range("2001::/32", "2001::", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:0:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Range("2001:2::/48", "2001:2::", "2001:2:0:ffff:ffff:ffff:ffff:ffff"),
            new Range("2001:10::/28", "2001:10::", "2001:1f:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Range("2001:20::/28", "2001:20::", "2001:2f:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Range("2001:db8::/32", "2001:db8::", "2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Range("3fff::/20", "3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Range("5f00::/16", "5f00::", "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Range("64:ff9b:1::/48", "64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff"),
            new Range("fc00::/7", "fc00::", "fd12:3456:789a::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Range("fe80::/10", "fe80::", "fe80::1", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Range("fec0::/10", "fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Range("ff00::/8", "ff00::", "ff02::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));

    /** Public neighbours just outside refused ranges: the policy must let the client try them. */
    private static final List<String> PUBLIC_NEIGHBOURS = List.of(
            "1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
            "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.0", "192.0.3.0",
            "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0",
            "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0", "223.255.255.255",
            "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::", "2002:808:808::", "2606:4700::1111",
            "64:ff9b::808:808", "::ffff:8.8.8.8", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

    private static final List<String> MAIN_SPELLINGS = List.of("dotted", "hex", "IPv4-mapped", "NAT64");

    private static final Map<String, InetAddress> NAMES = new HashMap<>();
    /** Redirect targets of the allowed server, by the path that answers with them. */
    private static final Map<String, String> REDIRECTS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger REDIRECT_IDS = new java.util.concurrent.atomic.AtomicInteger();

    private static MockWebServer target;
    private static MockWebServer good;
    private static TestNet.ConnectRecorder recorder;
    private static OkHttpClient direct;
    private static OkHttpClient viaGood;
    private static OkHttpImageFetcher publicOnly;
    private static OkHttpImageFetcher allowAll;
    private static OkHttpImageFetcher goodHopOnly;
    private static OkHttpImageFetcher goodHopAllowAll;

    @BeforeAll
    static void startServers() throws IOException {
        target = TestNet.server(ip("127.0.0.2"));
        target.setDispatcher(answer("reached"));
        good = TestNet.server(TestNet.LOOPBACK_V4);
        good.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // /go/<n> redirects to a location registered by goodUrl(); /loop to itself; /ping and
                // /pong to each other; anything else is a plain answer.
                String path = request.getUrl().encodedPath();
                String location = switch (path) {
                    case "/loop" -> "/loop";
                    case "/ping" -> "/pong";
                    case "/pong" -> "http://good.test:" + request.getUrl().port() + "/ping";
                    default -> REDIRECTS.get(path);
                };
                return location == null ? new MockResponse.Builder().body("good").build()
                        : new MockResponse.Builder().code(302).addHeaderLenient("Location", location).build();
            }
        });
        for (Arguments arguments : (Iterable<Arguments>) addressCases()::iterator) {
            String host = (String) arguments.get()[1];
            if (host.endsWith(".test")) {
                NAMES.put(host, ip((String) arguments.get()[2]));
            }
        }
        NAMES.put("good.test", TestNet.LOOPBACK_V4);
        recorder = new TestNet.ConnectRecorder();
        InetSocketAddress targetAddress = new InetSocketAddress(ip("127.0.0.2"), target.getPort());
        InetSocketAddress goodAddress = new InetSocketAddress(TestNet.LOOPBACK_V4, good.getPort());
        direct = TestNet.baseClient(NAMES, recorder).newBuilder()
                .socketFactory(new TestNet.RedirectingSocketFactory(targetAddress)).build();
        viaGood = TestNet.baseClient(NAMES, recorder).newBuilder()
                .socketFactory(new TestNet.RedirectingSocketFactory(targetAddress, goodAddress)).build();
        publicOnly = TestNet.fetcher(direct, AddressPolicy.publicOnly()).maxAttempts(1).build();
        allowAll = controlFetcher(direct).build();
        AddressPolicy goodServerOnly = AddressPolicy.publicOnly().allow("127.0.0.1/32");
        goodHopOnly = TestNet.fetcher(viaGood, goodServerOnly).maxAttempts(1).maxRedirects(5).build();
        goodHopAllowAll = controlFetcher(viaGood).maxRedirects(5).build();
    }

    /** Allows everything, with timeouts generous enough for a loaded machine: a control must not flake. */
    private static OkHttpImageFetcher.Builder controlFetcher(OkHttpClient base) {
        return TestNet.fetcher(base, AddressPolicy.allowAll()).maxAttempts(1)
                .readTimeout(java.time.Duration.ofSeconds(20)).callTimeout(java.time.Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopServers() {
        publicOnly.close();
        allowAll.close();
        goodHopOnly.close();
        goodHopAllowAll.close();
        TestNet.shutdown(direct);
        TestNet.shutdown(viaGood);
        target.close();
        good.close();
    }

    @BeforeEach
    void clearConnects() {
        recorder.connects.clear();
    }

    /** (description, host as written in the URL, the address it denotes). */
    static Stream<Arguments> addressCases() {
        List<Arguments> cases = new ArrayList<>();
        int name = 0;
        for (Range range : IPV4_RANGES) {
            for (String sample : range.samples()) {
                // Every spelling of each range's first address; the main ones of the others.
                boolean first = sample.equals(range.samples()[0]);
                for (Map.Entry<String, String> form : ipv4Spellings(sample).entrySet()) {
                    if (first || MAIN_SPELLINGS.contains(form.getKey())) {
                        cases.add(Arguments.of(range.cidr() + " as " + form.getKey(), form.getValue(), sample));
                    }
                }
                cases.add(Arguments.of(range.cidr() + " by DNS", "v4-" + name++ + ".test", sample));
            }
        }
        for (Range range : IPV6_RANGES) {
            for (String sample : range.samples()) {
                String full = IpText.format(IpText.parseIpv6(sample));
                cases.add(Arguments.of(range.cidr() + " compressed", "[" + full + "]", sample));
                cases.add(Arguments.of(range.cidr() + " uncompressed", "[" + uncompressed(sample) + "]", sample));
                cases.add(Arguments.of(range.cidr() + " upper case", "[" + full.toUpperCase(Locale.ROOT) + "]", sample));
                cases.add(Arguments.of(range.cidr() + " by DNS", "v6-" + name++ + ".test", sample));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("addressCases")
    void refusedAddressIsNeverContacted(String description, String host, String address) throws Exception {
        String url = "http://" + host + ":" + target.getPort() + "/secret";
        int before = target.getRequestCount();

        failure(publicOnly, url, ErrorCode.BLOCKED_ADDRESS);

        assertThat(recorder.connects).as("connections started").isEmpty();
        assertThat(target.getRequestCount()).as("requests at the target").isEqualTo(before);

        // Control: only the policy stood between this spelling and the target.
        assertThat(allowAll.fetch(URI.create(url)).size()).isEqualTo("reached".length());
        assertThat(target.getRequestCount()).isEqualTo(before + 1);
    }

    /**
     * Every refused address in a few representative spellings (the URL parser is the same for
     * redirects, and the full set of spellings is covered above), except 127.0.0.1, which the
     * redirect tests allow for the first hop.
     */
    static Stream<Arguments> redirectCases() {
        List<String> forms = List.of(" as dotted", " as IPv4-mapped", " by DNS", " compressed");
        return addressCases()
                .filter(a -> forms.stream().anyMatch(((String) a.get()[0])::endsWith))
                .filter(a -> !ip((String) a.get()[2]).equals(TestNet.LOOPBACK_V4));
    }

    @ParameterizedTest(name = "redirect to {0}: {1}")
    @MethodSource("redirectCases")
    void redirectFromAnAllowedServerToARefusedAddressIsNeverFollowed(String description, String host, String address)
            throws Exception {
        String url = goodUrl("http://" + host + ":" + target.getPort() + "/secret");
        int before = target.getRequestCount();

        failure(goodHopOnly, url, ErrorCode.BLOCKED_ADDRESS);

        assertOnlyTheAllowedServerWasDialled();
        assertThat(target.getRequestCount()).as("requests at the target").isEqualTo(before);

        assertThat(goodHopAllowAll.fetch(URI.create(url)).size()).isEqualTo("reached".length());
        assertThat(target.getRequestCount()).isEqualTo(before + 1);
    }

    @ParameterizedTest
    @MethodSource("publicNeighbours")
    void publicNeighboursOfRefusedRangesAreTried(String host) {
        // The client may start a connection to these; the test network lands it on loopback, where
        // the check of the live connection still stops it before a request is sent.
        int before = target.getRequestCount();
        failure(publicOnly, "http://" + host + ":" + target.getPort() + "/", ErrorCode.BLOCKED_ADDRESS);
        assertThat(recorder.connects).isNotEmpty();
        assertThat(target.getRequestCount()).isEqualTo(before);
    }

    static Stream<String> publicNeighbours() {
        return PUBLIC_NEIGHBOURS.stream().map(a -> a.indexOf(':') >= 0 ? "[" + a + "]" : a);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "good.test@127.0.0.2", "good.test:80@127.0.0.2", "127.0.0.1@127.0.0.2", "user:pass@10.0.0.1",
        "good.test%40127.0.0.2", "good.test@[::ffff:127.0.0.2]", "good.test@0x7f000002", "good.test@2130706434",
        "@127.0.0.2", "127.0.0.2#@good.test", "127.0.0.2\\@good.test"})
    void userinfoTricksNeverReachTheRealHost(String authority) {
        int before = target.getRequestCount();
        int goodBefore = good.getRequestCount();
        String url = "http://" + authority + ":" + target.getPort() + "/";
        try {
            goodHopOnly.fetch(URI.create(url));
        } catch (IllegalArgumentException | IOException e) {
            // Refused as blocked or malformed: either way the assertions below are what matters.
        }
        assertThat(target.getRequestCount()).as(url).isEqualTo(before);
        assertThat(good.getRequestCount()).as(url).isEqualTo(goodBefore);
        assertThat(recorder.connects).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ftp://127.0.0.2:%d/", "file:///etc/passwd", "file://127.0.0.2/etc/passwd", "gopher://127.0.0.2:%d/_GET%%20/",
        "data:image/png;base64,iVBORw0KGgo=", "jar:http://127.0.0.2:%d/a.jar!/a.png", "dict://127.0.0.2:%d/",
        "ldap://127.0.0.2:%d/", "javascript:alert(1)", "ws://127.0.0.2:%d/", "netdoc:///etc/passwd"})
    void redirectToAnotherSchemeIsRefused(String location) {
        int before = target.getRequestCount();
        String url = goodUrl(location.replace("%d", Integer.toString(target.getPort())).replace("%%", "%"));

        failure(goodHopOnly, url, ErrorCode.REDIRECT_REFUSED);

        assertThat(target.getRequestCount()).isEqualTo(before);
        assertOnlyTheAllowedServerWasDialled();
    }

    @Test
    void redirectLoopStopsAtTheLimitAndReachesNothingElse() {
        int before = target.getRequestCount();
        int goodBefore = good.getRequestCount();
        String base = "http://good.test:" + good.getPort();

        failure(goodHopOnly, base + "/loop", ErrorCode.TOO_MANY_REDIRECTS);
        failure(goodHopOnly, base + "/ping", ErrorCode.TOO_MANY_REDIRECTS);

        // maxRedirects(5): the first request and five redirects per fetch, never more.
        assertThat(good.getRequestCount() - goodBefore).isEqualTo(2 * 6);
        assertThat(target.getRequestCount()).isEqualTo(before);
    }

    /** Every case in this class; used by RELIABILITY.md's figures. */
    @Test
    void tableCoversEveryRange() {
        assertThat(IPV4_RANGES).hasSize(15);
        assertThat(IPV6_RANGES).hasSize(15);
        for (Range range : IPV4_RANGES) {
            Cidr cidr = Cidr.parse(range.cidr());
            for (String sample : range.samples()) {
                assertThat(cidr.containsBytes(IpText.parseStrictIpv4(sample))).as(sample).isTrue();
            }
        }
        for (Range range : IPV6_RANGES) {
            Cidr cidr = Cidr.parse(range.cidr());
            for (String sample : range.samples()) {
                assertThat(cidr.containsBytes(IpText.parseIpv6(sample))).as(sample).isTrue();
            }
        }
    }

    /** The allowed server's pooled connection may be reused, so "no connection at all" also passes. */
    private static void assertOnlyTheAllowedServerWasDialled() {
        assertThat(recorder.connects).extracting(InetSocketAddress::getAddress)
                .as("connections started").allMatch(TestNet.LOOPBACK_V4::equals);
    }

    private static String goodUrl(String location) {
        String path = "/go/" + REDIRECT_IDS.incrementAndGet();
        REDIRECTS.put(path, location);
        return "http://good.test:" + good.getPort() + path;
    }

    /** The ways a URL can spell one IPv4 address, by name. */
    private static Map<String, String> ipv4Spellings(String dotted) {
        byte[] b = IpText.parseStrictIpv4(dotted);
        long value = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
        Map<String, String> forms = new java.util.LinkedHashMap<>();
        forms.put("dotted", dotted);
        forms.put("trailing dot", dotted + ".");
        forms.put("decimal", Long.toString(value));
        forms.put("hex", "0x" + Long.toHexString(value));
        forms.put("octal", "0" + Long.toOctalString(value));
        forms.put("octal dotted", String.format(Locale.ROOT, "0%o.0%o.0%o.0%o", b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF, b[3] & 0xFF));
        forms.put("hex dotted", String.format(Locale.ROOT, "0x%x.0x%x.0x%x.0x%x", b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF, b[3] & 0xFF));
        forms.put("short a.b", (b[0] & 0xFF) + "." + (value & 0xFFFFFF));
        forms.put("short a.b.c", (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (value & 0xFFFF));
        forms.put("IPv4-mapped", "[::ffff:" + dotted + "]");
        forms.put("IPv4-mapped hex", "[::ffff:" + hexPair(b[0], b[1]) + ":" + hexPair(b[2], b[3]) + "]");
        forms.put("IPv4-translated", "[::ffff:0:" + dotted + "]");
        forms.put("IPv4-compatible", "[::" + hexPair(b[0], b[1]) + ":" + hexPair(b[2], b[3]) + "]");
        forms.put("NAT64", "[64:ff9b::" + dotted + "]");
        forms.put("6to4", "[2002:" + hexPair(b[0], b[1]) + ":" + hexPair(b[2], b[3]) + "::1]");
        return forms;
    }

    private static String hexPair(byte high, byte low) {
        return Integer.toHexString(((high & 0xFF) << 8) | (low & 0xFF));
    }

    private static String uncompressed(String ipv6) {
        byte[] bytes = IpText.parseIpv6(ipv6);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            text.append(i == 0 ? "" : ":").append(String.format(Locale.ROOT, "%04x", ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF)));
        }
        return text.toString();
    }

    private static Dispatcher answer(String body) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body(body).build();
            }
        };
    }
}
