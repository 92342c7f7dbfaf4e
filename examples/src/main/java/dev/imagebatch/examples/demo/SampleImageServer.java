package dev.imagebatch.examples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the sample images over HTTP on {@code 127.0.0.1} at {@code /images/<name>}, so the demo
 * downloads them the way it would from any image host, with no network. Unknown names answer 404.
 */
public final class SampleImageServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private SampleImageServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts on a free loopback port.
     *
     * @throws IOException if no port could be bound
     */
    public static SampleImageServer start(Map<String, SampleImages.Sample> samples) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "demo-image-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/images/", exchange -> serve(exchange, samples));
        server.start();
        return new SampleImageServer(server, executor);
    }

    private static void serve(HttpExchange exchange, Map<String, SampleImages.Sample> samples) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/images/".length());
            SampleImages.Sample sample = samples.get(name);
            if (sample == null || !"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", sample.contentType());
            exchange.sendResponseHeaders(200, sample.bytes().length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(sample.bytes());
            }
        }
    }

    /** The URL of an image by name (it need not exist: the demo asks for one that does not). */
    public URI url(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/images/" + name);
    }

    /** Stops at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
