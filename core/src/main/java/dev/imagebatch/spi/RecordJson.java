package dev.imagebatch.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON form of {@link RequestRecord}, {@link ImageResult}, {@link WorkPlan} and
 * {@link ChunkRecord}, for {@link StatusStore} and {@link WorkStore}
 * implementations that persist text (files, object stores). One stable, documented format, so
 * stores written by one backend version stay readable by the next. Field names are snake_case;
 * absent optionals are omitted; instants are ISO-8601 strings. An image result is one line of JSON
 * (no newlines inside), so it can be appended to a log.
 *
 * <p>Thread-safe and stateless. Reading malformed input throws {@link IOException} naming what is
 * wrong.
 */
public final class RecordJson {

    /** The format version written into every record as {@code "format"}. */
    public static final int FORMAT = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordJson() {
    }

    /** A record as UTF-8 JSON. */
    public static byte[] write(RequestRecord record) {
        RequestStatus s = record.status();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("format", FORMAT);
        node.put("request_id", s.requestId());
        node.put("state", s.state().name());
        node.put("total_images", s.totalImages());
        node.put("succeeded", s.succeeded());
        node.put("failed", s.failed());
        node.put("created_at", s.createdAt().toString());
        node.put("updated_at", s.updatedAt().toString());
        s.outputCsvUrl().ifPresent(u -> node.put("output_csv_url", u.toString()));
        s.failureReason().ifPresent(r -> node.put("failure_reason", r));
        record.webhookUrl().ifPresent(u -> node.put("webhook_url", u.toString()));
        WebhookDelivery w = s.webhook();
        ObjectNode webhook = node.putObject("webhook");
        webhook.put("state", w.state().name());
        webhook.put("attempts", w.attempts());
        webhook.put("last_http_status", w.lastHttpStatus());
        w.lastError().ifPresent(e -> webhook.put("last_error", e));
        w.deliveredAt().ifPresent(t -> webhook.put("delivered_at", t.toString()));
        return bytes(node);
    }

    /** Parses what {@link #write(RequestRecord)} wrote. */
    public static RequestRecord readRecord(byte[] json) throws IOException {
        JsonNode node = parse(json);
        try {
            JsonNode w = required(node, "webhook");
            WebhookDelivery webhook = new WebhookDelivery(
                    WebhookDelivery.State.valueOf(text(w, "state")),
                    required(w, "attempts").asInt(),
                    required(w, "last_http_status").asInt(),
                    optionalText(w, "last_error"),
                    optionalText(w, "delivered_at").map(Instant::parse));
            RequestStatus status = new RequestStatus(
                    text(node, "request_id"),
                    RequestState.valueOf(text(node, "state")),
                    required(node, "total_images").asInt(),
                    required(node, "succeeded").asInt(),
                    required(node, "failed").asInt(),
                    Instant.parse(text(node, "created_at")),
                    Instant.parse(text(node, "updated_at")),
                    optionalText(node, "output_csv_url").map(URI::create),
                    optionalText(node, "failure_reason"),
                    webhook);
            return new RequestRecord(status, optionalText(node, "webhook_url").map(URI::create));
        } catch (RuntimeException e) {
            throw new IOException("malformed request record: " + e.getMessage(), e);
        }
    }

    /** An image result as one line of UTF-8 JSON, without a line terminator. */
    public static byte[] write(ImageResult result) {
        return bytes(imageNode(result));
    }

    /** Parses what {@link #write(ImageResult)} wrote. */
    public static ImageResult readImage(byte[] json) throws IOException {
        return image(parse(json));
    }

    /** A work plan as UTF-8 JSON. */
    public static byte[] write(WorkPlan plan) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("format", FORMAT);
        node.put("request_id", plan.requestId());
        node.put("rows", plan.rows());
        node.put("chunk_rows", plan.chunkRows());
        plan.doneChunks().forEach(node.putArray("done_chunks")::add);
        plan.finisher().ifPresent(lease -> node.set("finisher", leaseNode(lease)));
        node.put("finished", plan.finished());
        return bytes(node);
    }

    /** Parses what {@link #write(WorkPlan)} wrote. */
    public static WorkPlan readPlan(byte[] json) throws IOException {
        JsonNode node = parse(json);
        try {
            List<Integer> done = new ArrayList<>();
            node.path("done_chunks").forEach(n -> done.add(n.asInt()));
            JsonNode finisher = node.get("finisher");
            return new WorkPlan(text(node, "request_id"), required(node, "rows").asInt(),
                    required(node, "chunk_rows").asInt(), done,
                    finisher == null || finisher.isNull() ? Optional.empty() : Optional.of(lease(finisher)),
                    node.path("finished").asBoolean(false));
        } catch (RuntimeException e) {
            throw new IOException("malformed work plan: " + e.getMessage(), e);
        }
    }

    /** A chunk record as UTF-8 JSON, its results in {@link #write(ImageResult)}'s form. */
    public static byte[] write(ChunkRecord chunk) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("format", FORMAT);
        node.put("request_id", chunk.requestId());
        node.put("chunk", chunk.chunk());
        node.set("lease", leaseNode(chunk.lease()));
        node.put("done", chunk.done());
        chunk.results().forEach(r -> node.withArray("results").add(imageNode(r)));
        return bytes(node);
    }

    /** Parses what {@link #write(ChunkRecord)} wrote. */
    public static ChunkRecord readChunk(byte[] json) throws IOException {
        JsonNode node = parse(json);
        try {
            List<ImageResult> results = new ArrayList<>();
            for (JsonNode result : node.path("results")) {
                results.add(image(result));
            }
            return new ChunkRecord(text(node, "request_id"), required(node, "chunk").asInt(),
                    lease(required(node, "lease")), node.path("done").asBoolean(false), results);
        } catch (RuntimeException e) {
            throw new IOException("malformed chunk record: " + e.getMessage(), e);
        }
    }

    private static ObjectNode imageNode(ImageResult result) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("row", result.row());
        node.put("index", result.index());
        node.put("url", result.inputUrl());
        result.outputUrl().ifPresent(u -> node.put("output_url", u.toString()));
        result.error().ifPresent(e -> {
            ObjectNode error = node.putObject("error");
            error.put("code", e.code().name());
            error.put("message", e.message());
            if (e.httpStatus() != 0) {
                error.put("http_status", e.httpStatus());
            }
        });
        return node;
    }

    private static ImageResult image(JsonNode node) throws IOException {
        try {
            int row = required(node, "row").asInt();
            int index = required(node, "index").asInt();
            String url = text(node, "url");
            Optional<String> output = optionalText(node, "output_url");
            if (output.isPresent()) {
                return ImageResult.success(row, index, url, URI.create(output.get()));
            }
            JsonNode error = required(node, "error");
            return ImageResult.failure(row, index, url, new ImageError(ErrorCode.valueOf(text(error, "code")),
                    text(error, "message"), error.path("http_status").asInt(0)));
        } catch (RuntimeException e) {
            throw new IOException("malformed image result: " + e.getMessage(), e);
        }
    }

    private static ObjectNode leaseNode(Lease lease) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("owner", lease.owner());
        node.put("generation", lease.generation());
        node.put("until", lease.until().toString());
        return node;
    }

    private static Lease lease(JsonNode node) {
        return new Lease(text(node, "owner"), required(node, "generation").asLong(),
                Instant.parse(text(node, "until")));
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    private static JsonNode parse(byte[] json) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        return node;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        return required(node, field).asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
