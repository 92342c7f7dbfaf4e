package dev.imagebatch.s3;

import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.jetbrains.annotations.NotNull;

/**
 * A loopback HTTP server of distinct generated JPEGs: {@code /img/<n>.jpg} is
 * {@link #width(int)} × {@link #height(int)} pixels, its left half {@link #left(int)} and its right
 * half white. Every other path is a 404. Each request is recorded (path, in order) and answered
 * after a fixed delay, so a request takes long enough to be interrupted part way.
 */
public final class ImageServer implements AutoCloseable {

    private static final Pattern IMAGE = Pattern.compile("/img/(\\d+)\\.jpg");

    private final MockWebServer server = new MockWebServer();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<Integer, byte[]> images = new ConcurrentHashMap<>();
    private final AtomicInteger served = new AtomicInteger();
    private volatile int holdAfter = Integer.MAX_VALUE;
    private final CountDownLatch released = new CountDownLatch(1);

    public ImageServer(long delayMillis) throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public @NotNull MockResponse dispatch(@NotNull RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                log.add(path);
                Matcher m = IMAGE.matcher(path);
                if (!m.matches()) {
                    return new MockResponse.Builder().code(404).build();
                }
                if (served.incrementAndGet() > holdAfter) {
                    awaitRelease();
                }
                byte[] jpeg = jpeg(Integer.parseInt(m.group(1)));
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "image/jpeg")
                        .headersDelay(delayMillis, TimeUnit.MILLISECONDS)
                        .body(new Buffer().write(jpeg)).build();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    /**
     * Image requests after the first {@code count} wait (up to 20 s) until {@link #release()}: a
     * test can then change the world while the rest of a request is held back.
     */
    public void holdAfter(int count) {
        holdAfter = count;
    }

    /** Lets held requests go on. */
    public void release() {
        released.countDown();
    }

    private void awaitRelease() {
        try {
            released.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The URL of image {@code n}. */
    public String url(int n) {
        return server.url("/img/" + n + ".jpg").toString();
    }

    /** A URL this server answers with 404. */
    public String missingUrl(String name) {
        return server.url("/missing/" + name).toString();
    }

    public byte[] jpeg(int n) {
        return images.computeIfAbsent(n, k -> TestImages.jpeg(width(k), height(k), left(k), Color.WHITE));
    }

    public static int width(int n) {
        return 60 + 2 * n;
    }

    public static int height(int n) {
        return 40 + 2 * n;
    }

    /** A colour that tells image {@code n} apart from its neighbours. */
    public static Color left(int n) {
        Color[] colors = {Color.RED, Color.GREEN, Color.BLUE, Color.BLACK};
        return colors[n % colors.length];
    }

    /** Paths requested so far, in order. */
    public List<String> requests() {
        return List.copyOf(log);
    }

    /** How often {@code url} was requested. */
    public long hits(String url) {
        String path = okhttp3.HttpUrl.get(url).encodedPath();
        return log.stream().filter(path::equals).count();
    }

    @Override
    public void close() {
        release();
        server.close();
    }
}
