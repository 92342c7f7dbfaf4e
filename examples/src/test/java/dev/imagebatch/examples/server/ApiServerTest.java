package dev.imagebatch.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagebatch.examples.Csv;
import dev.imagebatch.examples.ImageHost;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.examples.wiring.Engine;
import dev.imagebatch.examples.wiring.Storage;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original service's HTTP contract, over a real server and a real image host on loopback. */
class ApiServerTest {

    private static final MediaType CSV = MediaType.get("text/csv");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(20, TimeUnit.SECONDS).build();
    private ImageHost host;
    private ApiServer server;

    @BeforeEach
    void start() throws IOException {
        host = new ImageHost(120, 80);
        server = TestServers.start(data);
    }

    @AfterEach
    void stop() {
        server.close();
        host.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** A response's status and body. */
    private record Answer(int code, String contentType, byte[] body, okhttp3.Headers headers) {
        String header(String name) {
            return headers.get(name);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Answer call(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return new Answer(response.code(), response.header("Content-Type"), response.body().bytes(),
                    response.headers());
        }
    }

    private Answer get(String pathOrUrl) throws IOException {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : server.url().resolve(pathOrUrl.substring(1)).toString();
        return call(new Request.Builder().url(url).build());
    }

    private Answer upload(String csv, String... extraFields) throws IOException {
        MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("file", "products.csv", RequestBody.create(csv.getBytes(StandardCharsets.UTF_8), CSV));
        for (int i = 0; i < extraFields.length; i += 2) {
            form.addFormDataPart(extraFields[i], extraFields[i + 1]);
        }
        return call(new Request.Builder().url(server.url().resolve("api/upload").toString()).post(form.build()).build());
    }

    private String validCsv(String... urls) {
        // The original's sample starts with a byte-order mark.
        return "\uFEFFserial_no,product_name,input_image_urls\n1,Shoe,\"" + String.join(", ", urls) + "\"\n";
    }

    private JsonNode awaitFinished(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/api/status?request_id=" + id).json();
            if (!status.get("status").asText().equals("processing")) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("request " + id + " did not finish");
    }

    @Test
    void uploadAnswersTheRequestIdThenStatusGoesFromProcessingToCompleted() throws Exception {
        host.hold();
        Answer uploaded = upload(validCsv(host.url("a"), host.url("b")));

        assertThat(uploaded.code()).isEqualTo(200);
        assertThat(uploaded.contentType()).startsWith("application/json");
        JsonNode accepted = uploaded.json();
        assertThat(fieldNames(accepted)).containsExactly("requestId");
        String id = accepted.get("requestId").asText();

        Answer processing = get("/api/status?request_id=" + id);
        assertThat(processing.code()).isEqualTo(200);
        assertThat(processing.json().get("request_id").asText()).isEqualTo(id);
        assertThat(processing.json().get("status").asText()).isEqualTo("processing");
        assertThat(processing.json().has("file_path")).isFalse();
        assertThat(processing.json().get("total_images").asInt()).isEqualTo(2);

        host.release();
        JsonNode done = awaitFinished(id);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("file_path").asText())
                .isEqualTo("http://127.0.0.1:" + server.port() + "/static/csv/" + id + ".csv");
        assertThat(done.get("succeeded").asInt()).isEqualTo(2);
        assertThat(done.get("images")).hasSize(2);
    }

    @Test
    void staticServesTheOutputCsvAndTheImagesItPointsTo() throws Exception {
        String id = upload(validCsv(host.url("a"), host.missingUrl("b"), host.url("c"))).json().get("requestId").asText();
        JsonNode done = awaitFinished(id);
        assertThat(done.get("state").asText()).isEqualTo("COMPLETED_WITH_ERRORS");
        assertThat(done.get("status").asText()).isEqualTo("completed");

        Answer csv = get(done.get("file_path").asText());
        assertThat(csv.code()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<CSVRecord> rows = Csv.read(csv.text());
        String[] outputs = rows.get(0).get("output_image_urls").split(", ", -1);
        assertThat(outputs).hasSize(3);
        assertThat(outputs[1]).isEmpty();
        String prefix = "http://127.0.0.1:" + server.port() + "/static/images/" + id + "/1/";
        assertThat(outputs[0]).isEqualTo(prefix + "1.jpg");
        assertThat(outputs[2]).isEqualTo(prefix + "3.jpg");

        Answer image = get(outputs[0]);
        assertThat(image.code()).isEqualTo(200);
        assertThat(image.contentType()).isEqualTo("image/jpeg");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.body()));
        assertThat(decoded.getWidth()).isEqualTo(60);
        assertThat(decoded.getHeight()).isEqualTo(40);
        assertThat(done.get("images").get(1).get("error").get("code").asText()).isEqualTo("HTTP_STATUS");
        assertThat(done.get("images").get(0).get("output_url").asText()).isEqualTo(outputs[0]);
    }

    @Test
    void staticServesNeitherRecordsNorInputsNorPathsOutsideTheRoot() throws Exception {
        String id = upload(validCsv(host.url("a"))).json().get("requestId").asText();
        awaitFinished(id);

        assertThat(get("/static/status/" + id + ".json").code()).isEqualTo(404);
        assertThat(get("/static/input/" + id + ".csv").code()).isEqualTo(404);
        assertThat(get("/static/csv/..%2Fstatus%2F" + id + ".json").code()).isIn(400, 404);
        assertThat(get("/static/csv/" + id + ".csv").code()).isEqualTo(200);
    }

    @Test
    void invalidCsvAnswers404WithTheOriginalMessageAndEveryProblem() throws Exception {
        Answer answer = upload("serial_no,product_name,input_image_urls\n1,Shoe,not a url\n2,Hat,\n");

        assertThat(answer.code()).isEqualTo(404);
        JsonNode json = answer.json();
        assertThat(json.get("msg").asText()).isEqualTo("Invalid CSV file format");
        JsonNode problems = json.get("problems");
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0).get("line").asInt()).isEqualTo(2);
        assertThat(problems.get(0).get("column").asText()).isEqualTo("input_image_urls");
        assertThat(problems.get(1).get("line").asInt()).isEqualTo(3);
        assertThat(problems.get(1).get("column").asText()).isEqualTo("input_image_urls");
        assertThat(problems.get(1).get("text").asText()).isEqualTo("line 3, column input_image_urls: no image URLs");
        assertThat(data.resolve("status")).isDirectoryContaining(path -> path.getFileName().toString().equals("store.lock"));
        try (var files = java.nio.file.Files.list(data.resolve("status"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("store.lock");
        }
    }

    @Test
    void uploadBeyondTheActiveRequestLimitIs503WithRetryAfterAndStoresNothing(@TempDir Path busyData) throws Exception {
        try (ApiServer busy = TestServers.start(busyData,
                ProcessingSettings.builder().workers(1).maxActiveRequests(1).build())) {
            host.hold();
            ApiServer normal = server;
            server = busy;
            try {
                Answer first = upload(validCsv(host.url("held")));
                assertThat(first.code()).isEqualTo(200);
                Answer second = upload(validCsv(host.url("other")));
                assertThat(second.code()).isEqualTo(503);
                assertThat(second.header("Retry-After")).isEqualTo("5");
                assertThat(second.json().get("msg").asText()).isEqualTo("Too many requests in progress, try again later");
                try (java.util.stream.Stream<Path> inputs = java.nio.file.Files.list(busyData.resolve("input"))) {
                    assertThat(inputs.count()).as("only the first upload's input is stored").isEqualTo(1);
                }
            } finally {
                host.release();
                server = normal;
            }
        }
    }

    @Test
    void uploadWithoutAFileFieldIsAnInvalidFile() throws Exception {
        MultipartBody form = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("other", "x").build();

        Answer answer = call(new Request.Builder().url(server.url().resolve("api/upload").toString()).post(form).build());

        assertThat(answer.code()).isEqualTo(404);
        assertThat(answer.json().get("msg").asText()).isEqualTo("Invalid CSV file format");
    }

    @Test
    void aMalformedWebhookUrlIsRefusedWith400() throws Exception {
        Answer answer = upload(validCsv(host.url("a")), "webhook_url", "ftp://example.com/hook");

        assertThat(answer.code()).isEqualTo(400);
        assertThat(answer.json().get("msg").asText()).isEqualTo("Invalid webhook_url");
    }

    @Test
    void unknownRequestAnswers400WithTheOriginalError() throws Exception {
        Answer answer = get("/api/status?request_id=no-such-id");

        assertThat(answer.code()).isEqualTo(400);
        assertThat(answer.json()).isEqualTo(JSON.readTree("{\"error\":\"Request with request id no-such-id not found\"}"));
        assertThat(get("/api/status").code()).isEqualTo(400);
    }

    @Test
    void theUploadPageAndItsAssetsAreServed() throws Exception {
        Answer page = get("/");
        assertThat(page.code()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.text()).contains("<label for=\"file\"").contains("/app.js");
        assertThat(get("/app.js").code()).isEqualTo(200);
        assertThat(get("/app.css").code()).isEqualTo(200);
    }

    @Test
    void unfinishedRequestsAreResumedWhenTheServerStartsAgain() throws Exception {
        server.close();
        host.hold();
        String id;
        // An engine that abandons its downloads at close leaves the request PROCESSING with no results,
        // as a crashed server would.
        AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.1/32");
        try (Engine crashed = Engine.start(Storage.filesystem(data, Optional.empty()),
                OkHttpImageFetcher.builder().addressPolicy(loopback).build(),
                ProcessingSettings.builder().shutdownTimeout(Duration.ZERO).build(),
                WebhookSettings.defaults(), ProcessingListener.NONE)) {
            id = crashed.service().submit(new ByteArrayInputStream(
                    validCsv(host.url("r1"), host.url("r2")).getBytes(StandardCharsets.UTF_8)));
        }
        host.release();

        server = TestServers.start(data);

        assertThat(server.resumed()).containsExactly(id);
        JsonNode done = awaitFinished(id);
        assertThat(done.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("file_path").asText()).startsWith("http://127.0.0.1:" + server.port() + "/static/csv/");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
