package dev.imagebatch.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;

/**
 * Loopback-only test networking: servers bound to loopback addresses, a fake DNS, and a base
 * client that cannot connect anywhere but loopback even if a guard under test were broken.
 */
final class TestNet {

    static {
        // Lets the redaction test see DEBUG lines; must be set before the first logger is created.
        System.setProperty("org.slf4j.simpleLogger.log.dev.imagebatch.http", "debug");
    }

    static final InetAddress LOOPBACK_V4 = Ips.ip("127.0.0.1");
    static final InetAddress LOOPBACK_V6 = Ips.ip("::1");
    static final AddressPolicy LOOPBACK_ALLOWED = AddressPolicy.publicOnly().allow("127.0.0.0/8");

    private TestNet() {
    }

    static MockWebServer server(InetAddress address) throws IOException {
        MockWebServer server = new MockWebServer();
        server.start(address, 0);
        return server;
    }

    static MockWebServer server() throws IOException {
        return server(LOOPBACK_V4);
    }

    /** {@code http://127.0.0.1:port/path} (MockWebServer's own url() may use a host name). */
    static String url(MockWebServer server, String path) {
        InetAddress address = server.getSocketAddress().getAddress();
        String host = address.getAddress().length == 16 ? "[" + IpText.format(address.getAddress()) + "]" : address.getHostAddress();
        return "http://" + host + ":" + server.getPort() + path;
    }

    /** A base client whose DNS knows only {@code names}, that connects only to loopback, and records connects. */
    static OkHttpClient baseClient(Map<String, InetAddress> names, ConnectRecorder recorder) {
        return new OkHttpClient.Builder()
                .dns(new FakeDns(names))
                .socketFactory(new LoopbackOnlySocketFactory())
                .eventListener(recorder)
                .build();
    }

    /** Builder with short timeouts suitable for tests. */
    static OkHttpImageFetcher.Builder fetcher(OkHttpClient base, AddressPolicy policy) {
        return OkHttpImageFetcher.builder()
                .client(base)
                .addressPolicy(policy)
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofMillis(300))
                .callTimeout(Duration.ofSeconds(2))
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(50));
    }

    static void shutdown(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    static final class FakeDns implements Dns {
        private final Map<String, InetAddress> names;

        FakeDns(Map<String, InetAddress> names) {
            this.names = Map.copyOf(names);
        }

        @Override
        public List<InetAddress> lookup(String hostname) throws UnknownHostException {
            InetAddress address = names.get(hostname);
            if (address == null) {
                throw new UnknownHostException("fake DNS does not know " + hostname);
            }
            return List.of(address);
        }
    }

    /** Records every connection attempt OkHttp starts. */
    static final class ConnectRecorder extends EventListener {
        final List<InetSocketAddress> connects = new CopyOnWriteArrayList<>();

        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            connects.add(address);
        }
    }

    /**
     * Connects every socket to one fixed loopback address, whatever OkHttp asked for, except
     * connections to {@code exempt} (if not {@code null}), which go where they were meant to.
     */
    static final class RedirectingSocketFactory extends LoopbackOnlySocketFactory {
        private final InetSocketAddress target;
        private final InetSocketAddress exempt;

        RedirectingSocketFactory(InetSocketAddress target) {
            this(target, null);
        }

        RedirectingSocketFactory(InetSocketAddress target, InetSocketAddress exempt) {
            this.target = target;
            this.exempt = exempt;
        }

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    super.connect(endpoint.equals(exempt) ? endpoint : target, timeout);
                }
            };
        }
    }

    /** Safety net: refuses to open any socket to a non-loopback address. */
    static class LoopbackOnlySocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    if (!(endpoint instanceof InetSocketAddress inet) || inet.getAddress() == null
                            || !inet.getAddress().isLoopbackAddress()) {
                        throw new ConnectException("test safety net refused non-loopback " + endpoint);
                    }
                    super.connect(endpoint, timeout);
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException();
        }
    }
}
