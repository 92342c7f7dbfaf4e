package dev.imagebatch.examples.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The JSON of one request's status, as {@code GET /api/status} and the {@code status} command
 * answer it. The first three fields are the original service's ({@code request_id}, {@code status},
 * {@code file_path}); the others are additions. Absent values are left out.
 *
 * @param requestId     the request id
 * @param status        {@code processing}, {@code completed} (with or without failed images),
 *                      {@code failed} or {@code cancelled}
 * @param filePath      the output CSV's URL, once it is published
 * @param state         the detailed state: {@code PROCESSING}, {@code COMPLETED},
 *                      {@code COMPLETED_WITH_ERRORS}, {@code FAILED} or {@code CANCELLED}
 * @param totalImages   image URLs in the input
 * @param succeeded     images processed so far
 * @param failed        images failed so far
 * @param createdAt     ISO-8601 instant the request was accepted
 * @param updatedAt     ISO-8601 instant of the last change
 * @param failureReason why the request failed, for {@code FAILED}
 * @param webhook       what became of the completion webhook
 * @param images        per-image results recorded so far, ordered by row then index
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"request_id", "status", "file_path", "state", "total_images", "succeeded", "failed",
        "created_at", "updated_at", "failure_reason", "webhook", "images"})
public record StatusView(
        @JsonProperty("request_id") String requestId,
        @JsonProperty("status") String status,
        @JsonProperty("file_path") String filePath,
        @JsonProperty("state") String state,
        @JsonProperty("total_images") int totalImages,
        @JsonProperty("succeeded") int succeeded,
        @JsonProperty("failed") int failed,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("failure_reason") String failureReason,
        @JsonProperty("webhook") WebhookView webhook,
        @JsonProperty("images") List<ImageView> images) {

    /**
     * One image's outcome: {@code output_url} on success, {@code error} on failure.
     *
     * @param row       1-based data row of the input CSV
     * @param index     1-based position of the URL in its row
     * @param url       the input URL
     * @param outputUrl where the processed image is
     * @param error     why it failed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"row", "index", "url", "output_url", "error"})
    public record ImageView(
            @JsonProperty("row") int row,
            @JsonProperty("index") int index,
            @JsonProperty("url") String url,
            @JsonProperty("output_url") String outputUrl,
            @JsonProperty("error") ErrorView error) {
    }

    /**
     * Why an image failed.
     *
     * @param code       an {@link dev.imagebatch.ErrorCode} name such as {@code HTTP_STATUS}
     * @param message    a short text for people
     * @param httpStatus the status the image server answered, for {@code HTTP_STATUS}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"code", "message", "http_status"})
    public record ErrorView(
            @JsonProperty("code") String code,
            @JsonProperty("message") String message,
            @JsonProperty("http_status") Integer httpStatus) {
    }

    /**
     * The completion webhook's delivery.
     *
     * @param state          {@code NOT_REQUESTED}, {@code PENDING}, {@code DELIVERED} or {@code FAILED}
     * @param attempts       attempts made
     * @param lastHttpStatus the receiver's last answer, when it answered
     * @param lastError      the last attempt's error, if it failed
     * @param deliveredAt    ISO-8601 instant of the successful attempt
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"state", "attempts", "last_http_status", "last_error", "delivered_at"})
    public record WebhookView(
            @JsonProperty("state") String state,
            @JsonProperty("attempts") int attempts,
            @JsonProperty("last_http_status") Integer lastHttpStatus,
            @JsonProperty("last_error") String lastError,
            @JsonProperty("delivered_at") String deliveredAt) {
    }
}
