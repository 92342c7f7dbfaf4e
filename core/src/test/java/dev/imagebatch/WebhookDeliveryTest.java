package dev.imagebatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.memory.InMemoryImageFetcher;
import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.memory.InMemoryStatusStore;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {

    private static final String IMAGE = "https://shop.example/a.jpg";
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

    private final MockWebServer receiver = new MockWebServer();
    private final InMemoryStatusStore store = new InMemoryStatusStore();
    private ImageProcessingService service;

    @BeforeEach
    void start() throws Exception {
        receiver.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        receiver.close();
    }

    private ImageProcessingService service(AddressPolicy policy, int maxAttempts) {
        service = ImageProcessingService.builder()
                .statusStore(store)
                .resultPublisher(new InMemoryResultPublisher())
                .imageFetcher(InMemoryImageFetcher.builder()
                        .serve(IMAGE, TestImages.jpeg(20, 20, Color.RED, Color.RED), "image/jpeg").build())
                .webhook(WebhookSettings.builder()
                        .secret(SECRET)
                        .maxAttempts(maxAttempts)
                        .initialBackoff(Duration.ofMillis(50))
                        .maxBackoff(Duration.ofMillis(100))
                        .timeout(Duration.ofSeconds(2))
                        .addressPolicy(policy)
                        .build())
                .build();
        return service;
    }

    private URI hookUrl() {
        return URI.create(receiver.url("/hooks/imagebatch?token=t0p").toString());
    }

    private static AddressPolicy loopbackAllowed() {
        return AddressPolicy.publicOnly().allow("127.0.0.0/8");
    }

    @Test
    void sendsASignedBodyThatTheReceiverCanVerifyAfterARetry() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(503).build());
        receiver.enqueue(new MockResponse.Builder().code(204).build());
        service(loopbackAllowed(), 5);

        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x," + IMAGE),
                SubmitOptions.webhook(hookUrl()));
        RequestStatus done = service.await(id).get(30, TimeUnit.SECONDS);

        RecordedRequest failed = receiver.takeRequest(10, TimeUnit.SECONDS);
        RecordedRequest delivered = receiver.takeRequest(10, TimeUnit.SECONDS);
        assertThat(failed).isNotNull();
        assertThat(delivered).isNotNull();
        for (RecordedRequest request : new RecordedRequest[] {failed, delivered}) {
            String body = request.getBody().utf8();
            String webhookId = request.getHeaders().get("webhook-id");
            String timestamp = request.getHeaders().get("webhook-timestamp");
            assertThat(webhookId).isEqualTo(id);
            assertThat(request.getHeaders().get("webhook-signature")).isEqualTo("v1," + hmac(webhookId + "." + timestamp + "." + body));
            JsonNode json = new ObjectMapper().readTree(body);
            assertThat(json.path("type").asText()).isEqualTo("request.finished");
            assertThat(json.path("data").path("request_id").asText()).isEqualTo(id);
            assertThat(json.path("data").path("state").asText()).isEqualTo("COMPLETED");
            assertThat(json.path("data").path("succeeded").asInt()).isEqualTo(1);
            assertThat(json.path("data").path("output_csv_url").asText()).isEqualTo(done.outputCsvUrl().orElseThrow().toString());
        }
        WebhookDelivery delivery = awaitWebhook(id, WebhookDelivery.State.DELIVERED);
        assertThat(delivery.attempts()).isEqualTo(2);
        assertThat(delivery.lastHttpStatus()).isEqualTo(204);
        assertThat(delivery.deliveredAt()).isPresent();
    }

    @Test
    void recordsFailureAfterTheLastAttempt() throws Exception {
        for (int i = 0; i < 3; i++) {
            receiver.enqueue(new MockResponse.Builder().code(500).build());
        }
        service(loopbackAllowed(), 3);
        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x," + IMAGE),
                SubmitOptions.webhook(hookUrl()));
        assertThat(service.await(id).get(30, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);

        WebhookDelivery delivery = awaitWebhook(id, WebhookDelivery.State.FAILED);
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(delivery.lastError()).contains("HTTP 500");
        assertThat(receiver.getRequestCount()).isEqualTo(3);
    }

    @Test
    void refusesAReceiverOnAPrivateAddressByDefault() throws Exception {
        service(AddressPolicy.publicOnly(), 1);
        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x," + IMAGE),
                SubmitOptions.webhook(hookUrl()));
        service.await(id).get(30, TimeUnit.SECONDS);
        WebhookDelivery delivery = awaitWebhook(id, WebhookDelivery.State.FAILED);
        assertThat(delivery.lastHttpStatus()).isZero();
        assertThat(receiver.getRequestCount()).isZero();
    }

    @Test
    void aWebhookLeftPendingByADeadProcessIsSentOnResume() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(200).build());
        java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
        RequestStatus finished = RequestStatus.accepted("finished-before-crash", 1, t, WebhookDelivery.PENDING)
                .withCounts(1, 0, t).finished(RequestState.COMPLETED,
                        java.util.Optional.of(URI.create("memory:/csv/finished-before-crash.csv")), java.util.Optional.empty(), t);
        store.create(new dev.imagebatch.spi.RequestRecord(finished, java.util.Optional.of(hookUrl())));

        service(loopbackAllowed(), 3);
        assertThat(service.resumeUnfinished()).as("nothing to process again").isEmpty();

        WebhookDelivery delivery = awaitWebhook("finished-before-crash", WebhookDelivery.State.DELIVERED);
        assertThat(delivery.attempts()).isEqualTo(1);
        RecordedRequest request = receiver.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("webhook-id")).isEqualTo("finished-before-crash");
        assertThat(new ObjectMapper().readTree(request.getBody().utf8()).path("data").path("state").asText())
                .isEqualTo("COMPLETED");
        assertThat(store.unfinished()).isEmpty();
        service.resumeUnfinished();
        Thread.sleep(200);
        assertThat(receiver.getRequestCount()).as("a delivered webhook is not sent again").isEqualTo(1);
    }

    private WebhookDelivery awaitWebhook(String id, WebhookDelivery.State state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        WebhookDelivery delivery = service.status(id).orElseThrow().webhook();
        while (delivery.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
            delivery = service.status(id).orElseThrow().webhook();
        }
        assertThat(delivery.state()).isEqualTo(state);
        return delivery;
    }

    private static String hmac(String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }
}
