package dev.imagebatch.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.RecordJson;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Whole requests with both stores on the S3 test server: images come from a loopback HTTP server,
 * and the output CSV and every image are then fetched over plain HTTP with no credentials, by the
 * URLs the library handed out, and checked (JPEG, half size, right picture).
 */
class S3EndToEndTest {

    /** Plain HTTP, no AWS credentials: what a user of the output CSV has. */
    private static final OkHttpClient ANONYMOUS = new OkHttpClient();

    private S3TestServer server;
    private S3Client s3;
    private ImageServer images;
    private OkHttpImageFetcher fetcher;

    @BeforeEach
    void start() throws Exception {
        server = S3TestServer.shared();
        s3 = server.admin();
        images = new ImageServer(0);
        fetcher = OkHttpImageFetcher.builder()
                .addressPolicy(AddressPolicy.publicOnly().allow("127.0.0.0/8"))
                .maxAttempts(1)
                .build();
    }

    @AfterEach
    void stop() {
        fetcher.close();
        images.close();
    }

    private ImageProcessingService service(String bucket, S3ResultPublisher publisher) {
        return ImageProcessingService.builder()
                .statusStore(S3StatusStore.builder(s3, bucket).prefix("ib/").build())
                .resultPublisher(publisher)
                .imageFetcher(fetcher)
                .settings(ProcessingSettings.builder().fetchConcurrency(4).workers(2).progressBatchSize(2).build())
                .build();
    }

    private String submit(ImageProcessingService service) throws Exception {
        return service.submit(Csv.lines(
                "serial_no,product_name,input_image_urls",
                "1,Shoe,\"" + images.url(1) + "," + images.url(2) + "\"",
                "2,Hat,\"" + images.url(3) + ", " + images.missingUrl("gone.jpg") + "\"",
                "3,Shoe again,\"" + images.url(1) + "\"",
                "4,Bag,\"" + images.url(4) + "," + images.url(5) + "," + images.url(6) + "\""));
    }

    @Test
    void publicBaseUrlMode() throws Exception {
        String bucket = server.newPublicBucket();
        String base = server.endpoint() + "/" + bucket + "/";
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).prefix("ib/")
                .publicBaseUrl(URI.create(base)).build();
        try (ImageProcessingService service = service(bucket, publisher)) {
            String id = submit(service);
            RequestStatus done = service.await(id).get(60, TimeUnit.SECONDS);

            assertThat(done.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS);
            assertThat(done.succeeded()).isEqualTo(7);
            assertThat(done.failed()).isEqualTo(1);
            assertThat(done.outputCsvUrl()).contains(URI.create(base + "ib/" + ObjectKeys.outputCsv(id)));
            List<List<String>> urls = checkOutput(done.outputCsvUrl().orElseThrow());
            for (List<String> row : urls) {
                for (String url : row) {
                    if (!url.isEmpty()) {
                        assertThat(url).startsWith(base + "ib/images/" + id + "/").doesNotContain("?");
                    }
                }
            }
            assertThat(urls.get(0).get(0)).isEqualTo(base + "ib/" + ObjectKeys.image(id, 1, 1, "jpg"));

            // The status lives in the same bucket, in the documented layout and format.
            byte[] record = s3.getObjectAsBytes(b -> b.bucket(bucket).key("ib/status/" + id + ".json")).asByteArray();
            assertThat(RecordJson.readRecord(record).status()).isEqualTo(done);
            List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("ib/status/" + id + "/"))
                    .contents().stream().map(S3Object::key).toList();
            assertThat(keys).isNotEmpty().allMatch(k -> k.matches("ib/status/" + id + "/results/\\d{12}\\.jsonl"));
            assertThat(service.images(id)).hasSize(8)
                    .filteredOn(r -> !r.succeeded()).singleElement()
                    .satisfies(r -> assertThat(r.error().orElseThrow().code()).isEqualTo(ErrorCode.HTTP_STATUS));
        }
    }

    @Test
    void presignedMode() throws Exception {
        String bucket = server.newBucket();
        try (S3Presigner presigner = server.presigner()) {
            S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).prefix("ib/")
                    .presignedUrls(presigner, Duration.ofMinutes(15)).build();
            try (ImageProcessingService service = service(bucket, publisher)) {
                String id = submit(service);
                RequestStatus done = service.await(id).get(60, TimeUnit.SECONDS);

                assertThat(done.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS);
                URI csvUrl = done.outputCsvUrl().orElseThrow();
                assertThat(csvUrl.getRawQuery()).contains("X-Amz-Signature=");
                List<List<String>> urls = checkOutput(csvUrl);
                for (List<String> row : urls) {
                    for (String url : row) {
                        if (!url.isEmpty()) {
                            assertThat(URI.create(url).getRawPath()).startsWith("/" + bucket + "/ib/images/" + id + "/");
                            assertThat(URI.create(url).getRawQuery()).contains("X-Amz-Signature=");
                            // Private bucket: without the signature the same object is refused.
                            assertThat(get(server.endpoint() + URI.create(url).getRawPath()).code).isEqualTo(403);
                        }
                    }
                }
                assertThat(service.images(id)).filteredOn(ImageResult::succeeded).hasSize(7);
            }
        }
        // Nothing logged a presigned query string, while the publisher did log its uploads.
        Path log = Path.of("target/imagebatch-s3-test.log");
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(logged).contains("Published s3://" + bucket + "/ib/");
        assertThat(logged).doesNotContain("X-Amz-Signature").doesNotContain("X-Amz-Credential");
    }

    /**
     * Fetches the output CSV and every image by the handed-out URLs and checks them against the
     * input; returns the output URLs per row.
     */
    private List<List<String>> checkOutput(URI csvUrl) throws Exception {
        Fetched csv = get(csvUrl.toString());
        assertThat(csv.code).isEqualTo(200);
        assertThat(csv.contentType).isEqualTo("text/csv; charset=utf-8");
        Csv.Parsed parsed = Csv.parse(new ByteArrayInputStream(csv.body));
        assertThat(parsed.header()).containsExactly("serial_no", "product_name", "input_image_urls", "output_image_urls");
        List<List<String>> all = new ArrayList<>();
        for (CSVRecord row : parsed.records()) {
            String[] inputs = row.get("input_image_urls").split(",");
            String[] outputs = row.get("output_image_urls").split(", ", -1);
            assertThat(outputs).as("one output entry per input URL").hasSameSizeAs(inputs);
            for (int i = 0; i < inputs.length; i++) {
                String input = inputs[i].trim();
                if (input.contains("/missing/")) {
                    assertThat(outputs[i]).isEmpty();
                    continue;
                }
                int n = Integer.parseInt(input.replaceAll(".*/img/(\\d+)\\.jpg$", "$1"));
                Fetched image = get(outputs[i]);
                assertThat(image.code).as("GET %s", outputs[i]).isEqualTo(200);
                assertThat(image.contentType).isEqualTo("image/jpeg");
                assertThat(image.body[0] & 0xff).isEqualTo(0xFF);
                assertThat(image.body[1] & 0xff).isEqualTo(0xD8);
                BufferedImage decoded = TestImages.decode(image.body);
                assertThat(decoded.getWidth()).isEqualTo(ImageServer.width(n) / 2);
                assertThat(decoded.getHeight()).isEqualTo(ImageServer.height(n) / 2);
                assertColour(decoded.getRGB(2, decoded.getHeight() / 2), ImageServer.left(n));
                assertColour(decoded.getRGB(decoded.getWidth() - 3, decoded.getHeight() / 2), Color.WHITE);
            }
            all.add(List.of(outputs));
        }
        return all;
    }

    private static void assertColour(int rgb, Color expected) {
        Color actual = new Color(rgb);
        assertThat(Math.abs(actual.getRed() - expected.getRed())).isLessThan(40);
        assertThat(Math.abs(actual.getGreen() - expected.getGreen())).isLessThan(40);
        assertThat(Math.abs(actual.getBlue() - expected.getBlue())).isLessThan(40);
    }

    private record Fetched(int code, String contentType, byte[] body) {
    }

    private static Fetched get(String url) throws Exception {
        try (Response response = ANONYMOUS.newCall(new Request.Builder().url(url).build()).execute()) {
            return new Fetched(response.code(), response.header("Content-Type"), response.body().bytes());
        }
    }
}
