package dev.imagebatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.memory.InMemoryStatusStore;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.apache.commons.csv.CSVRecord;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole job over real HTTP: a loopback server serves generated images (and failures), the
 * default OkHttp fetcher downloads them, and the output CSV and images are checked.
 */
class LoopbackEndToEndTest {

    private final MockWebServer server = new MockWebServer();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final InMemoryResultPublisher publisher = new InMemoryResultPublisher();
    private ImageProcessingService service;
    private OkHttpImageFetcher fetcher;

    @BeforeEach
    void start() throws Exception {
        byte[] red = TestImages.jpeg(400, 300, Color.RED, Color.WHITE);
        byte[] png = TestImages.png(101, 51, Color.BLUE);
        server.setDispatcher(new Dispatcher() {
            @Override
            public @NotNull MockResponse dispatch(@NotNull RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                return switch (path) {
                    case "/red.jpg" -> image(red, "image/jpeg");
                    case "/blue.png" -> image(png, "application/octet-stream");
                    case "/page.jpg" -> new MockResponse.Builder().code(200).setHeader("Content-Type", "image/jpeg")
                            .body("<!doctype html><html><body>Sorry</body></html>").build();
                    case "/busy.jpg" -> new MockResponse.Builder().code(503).build();
                    default -> new MockResponse.Builder().code(404).build();
                };
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        fetcher = OkHttpImageFetcher.builder()
                .addressPolicy(AddressPolicy.publicOnly().allow("127.0.0.0/8"))
                .maxAttempts(2)
                .initialBackoff(Duration.ofMillis(10))
                .build();
        service = ImageProcessingService.builder()
                .statusStore(new InMemoryStatusStore())
                .resultPublisher(publisher)
                .imageFetcher(fetcher)
                .settings(ProcessingSettings.builder().fetchConcurrency(4).workers(2).build())
                .build();
    }

    @AfterEach
    void stop() {
        service.close();
        fetcher.close();
        server.close();
    }

    private static MockResponse image(byte[] bytes, String type) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", type).body(new Buffer().write(bytes)).build();
    }

    private String url(String path) {
        return server.url(path).toString();
    }

    @Test
    void downloadsHalvesAndPublishesEveryImageAndReportsEachFailure() throws Exception {
        String id = service.submit(Csv.lines(
                "serial_no,product_name,input_image_urls",
                "1,Red,\"" + url("/red.jpg") + "," + url("/blue.png") + "\"",
                "2,Broken,\"" + url("/missing.jpg") + ", " + url("/page.jpg") + ", " + url("/busy.jpg") + "\"",
                "3,Again,\"" + url("/red.jpg") + "\""));

        RequestStatus done = service.await(id).get(60, TimeUnit.SECONDS);

        assertThat(done.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS);
        assertThat(done.succeeded()).isEqualTo(3);
        assertThat(done.failed()).isEqualTo(3);
        assertThat(hits.get("/red.jpg")).as("a repeated URL is fetched once").hasValue(1);
        assertThat(hits.get("/busy.jpg")).as("503 is retried, boundedly").hasValue(2);
        assertThat(hits.get("/missing.jpg")).as("404 is not retried").hasValue(1);

        List<ImageResult> images = service.images(id);
        assertThat(images).extracting(r -> r.error().map(e -> e.code().name() + (e.httpStatus() > 0 ? " " + e.httpStatus() : "")).orElse("ok"))
                .containsExactly("ok", "ok", "HTTP_STATUS 404", "NOT_AN_IMAGE", "HTTP_STATUS 503", "ok");

        Csv.Parsed output = Csv.parse(publisher.open(ObjectKeys.outputCsv(id)).orElseThrow());
        assertThat(output.header()).containsExactly("serial_no", "product_name", "input_image_urls", "output_image_urls");
        List<CSVRecord> rows = output.records();
        assertThat(rows).extracting(r -> r.get("serial_no")).containsExactly("1", "2", "3");
        assertThat(rows.get(1).get("output_image_urls")).isEqualTo(", , ");
        assertThat(rows.get(2).get("output_image_urls")).isEqualTo(rows.get(0).get("output_image_urls").split(", ")[0]);

        BufferedImage red = TestImages.decode(publisher.get(ObjectKeys.image(id, 1, 1, "jpg")).orElseThrow().bytes());
        assertThat(red.getWidth()).isEqualTo(200);
        assertThat(red.getHeight()).isEqualTo(150);
        int left = red.getRGB(20, 75);
        assertThat((left >> 16) & 0xff).isGreaterThan(200);
        assertThat(left & 0xff).isLessThan(60);
        BufferedImage blue = TestImages.decode(publisher.get(ObjectKeys.image(id, 1, 2, "jpg")).orElseThrow().bytes());
        assertThat(blue.getWidth()).as("101 * 0.5 rounds half up").isEqualTo(51);
        assertThat(blue.getHeight()).isEqualTo(26);
    }

    @Test
    void refusesLoopbackImagesWithTheDefaultPolicyWithoutContactingTheServer() throws Exception {
        try (OkHttpImageFetcher strict = OkHttpImageFetcher.builder().build();
             ImageProcessingService strictService = ImageProcessingService.builder()
                     .statusStore(new InMemoryStatusStore())
                     .resultPublisher(new InMemoryResultPublisher())
                     .imageFetcher(strict)
                     .build()) {
            String id = strictService.submit(Csv.lines("serial_no,product_name,input_image_urls",
                    "1,x," + url("/red.jpg")));
            RequestStatus done = strictService.await(id).get(30, TimeUnit.SECONDS);
            assertThat(done.failed()).isEqualTo(1);
            assertThat(strictService.images(id).get(0).error().orElseThrow().code()).isEqualTo(ErrorCode.BLOCKED_ADDRESS);
        }
        assertThat(server.getRequestCount()).isZero();
    }
}
