package dev.imagebatch.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Calls of the seed HTTP API ({@code serve}) that tests make: an upload and a status query. */
public final class ApiCalls {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BOUNDARY = "b0undary";

    private ApiCalls() {
    }

    /**
     * Uploads {@code csv} as the form field {@code file} (and {@code webhook_url} if given).
     *
     * @return the request id of the 200 answer
     * @throws AssertionError for any other answer
     */
    public static String upload(URI base, String csv, Optional<String> webhookUrl) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        webhookUrl.ifPresent(url -> body.append("--").append(BOUNDARY)
                .append("\r\nContent-Disposition: form-data; name=\"webhook_url\"\r\n\r\n").append(url).append("\r\n"));
        body.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n")
                .append("Content-Type: text/csv\r\n\r\n").append(csv).append("\r\n--").append(BOUNDARY).append("--\r\n");
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(base.resolve("api/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new AssertionError("upload answered " + answer.statusCode() + ": " + answer.body());
        }
        return new ObjectMapper().readTree(answer.body()).get("requestId").asText();
    }

    /** The JSON of {@code GET /api/status?request_id=<id>}. */
    public static JsonNode status(URI base, String id) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                        base.resolve("api/status?request_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(answer.body());
    }
}
