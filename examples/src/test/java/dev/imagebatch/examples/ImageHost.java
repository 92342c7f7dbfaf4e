package dev.imagebatch.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A test image server on 127.0.0.1: serves generated JPEGs at {@code /img/<name>.jpg} (any name;
 * {@code /missing/...} answers 404), counts requests per path, and can delay or hold answers so a
 * test sees a request while it is still processing.
 */
public final class ImageHost implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final byte[] jpeg;
    private volatile Duration delay = Duration.ZERO;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public ImageHost() throws IOException {
        this(64, 48);
    }

    public ImageHost(int width, int height) throws IOException {
        jpeg = jpeg(width, height);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Every answer waits this long first. */
    public ImageHost delay(Duration value) {
        delay = value;
        return this;
    }

    /** Answers wait until {@link #release()}. */
    public ImageHost hold() {
        gate = new CountDownLatch(1);
        return this;
    }

    /** Lets held answers go. */
    public void release() {
        gate.countDown();
    }

    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/img/" + name + ".jpg";
    }

    public String missingUrl(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/missing/" + name + ".jpg";
    }

    /** Requests made for {@code url} so far. */
    public int hits(String url) {
        AtomicInteger count = hits.get(java.net.URI.create(url).getPath());
        return count == null ? 0 : count.get();
    }

    /** Requests made so far, in all. */
    public int totalHits() {
        return total.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                if (!delay.isZero()) {
                    Thread.sleep(delay.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!path.startsWith("/img/")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, jpeg.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jpeg);
            }
        }
    }

    static byte[] jpeg(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(250, 200, 60));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
