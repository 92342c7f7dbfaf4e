package dev.imagebatch.examples.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback image server for benchmarks: serves each image under as many URLs as wanted
 * ({@code /img/<token>/<id>/<name>}, any token and id), counts the requests under each token (with every
 * distinct URL of a pass processed, as many requests as distinct URLs means each was fetched once;
 * one counter per token keeps the server's own memory flat in scale runs) and measures the CPU time of its own threads, so a benchmark can subtract
 * it from the process's.
 */
public final class BenchImageServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    private BenchImageServer(Map<String, BenchImages.Image> images) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger ids = new AtomicInteger();
        executor = Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task, "bench-image-server-" + ids.incrementAndGet());
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/img/", exchange -> serve(exchange, images));
        server.start();
    }

    /** Starts on a free loopback port. */
    public static BenchImageServer start(Map<String, BenchImages.Image> images) throws IOException {
        return new BenchImageServer(images);
    }

    private void serve(HttpExchange exchange, Map<String, BenchImages.Image> images) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(token(path), p -> new AtomicInteger()).incrementAndGet();
            String name = path.substring(path.lastIndexOf('/') + 1);
            BenchImages.Image image = images.get(name);
            if (image == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", image.contentType());
            exchange.sendResponseHeaders(200, image.bytes().length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(image.bytes());
            }
        }
    }

    /**
     * A URL of image {@code name}: {@code /img/<token>/<id>/<name>}. Requests are counted per
     * {@code token}; {@code id} makes URLs distinct.
     */
    public URI url(String token, String id, String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/img/" + token + "/" + id + "/" + name);
    }

    /** Requests so far for URLs under {@code token}. */
    public int requests(String token) {
        AtomicInteger count = requests.get(token);
        return count == null ? 0 : count.get();
    }

    private static String token(String path) {
        // /img/<token>/<id>/<name>
        String[] segments = path.split("/", 4);
        return segments.length == 4 ? segments[2] : "";
    }

    /** CPU time of the server's threads so far, in nanoseconds. */
    public long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : List.copyOf(threads)) {
            long cpu = mx.getThreadCpuTime(thread.getId());
            total += Math.max(0, cpu);
        }
        return total;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
