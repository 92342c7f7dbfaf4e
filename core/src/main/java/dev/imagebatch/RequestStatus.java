package dev.imagebatch;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one request, as {@link ImageProcessingService#status(String)} answers it.
 * Immutable; derive changed copies with the {@code with...} methods.
 *
 * @param requestId    the id {@link ImageProcessingService#submit} returned
 * @param state        where the request stands
 * @param totalImages  number of image URLs in the input (repeated URLs counted each time)
 * @param succeeded    images processed and published so far
 * @param failed       images that failed so far
 * @param createdAt    when the request was accepted
 * @param updatedAt    when this record last changed
 * @param outputCsvUrl the output CSV's URL, once published
 * @param failureReason why the request is {@link RequestState#FAILED}, if it is
 * @param webhook      what became of the completion webhook
 */
public record RequestStatus(String requestId, RequestState state, int totalImages, int succeeded, int failed,
                            Instant createdAt, Instant updatedAt, Optional<URI> outputCsvUrl,
                            Optional<String> failureReason, WebhookDelivery webhook) {

    public RequestStatus {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(outputCsvUrl, "outputCsvUrl");
        Objects.requireNonNull(failureReason, "failureReason");
        Objects.requireNonNull(webhook, "webhook");
        if (totalImages < 0 || succeeded < 0 || failed < 0 || succeeded + failed > totalImages) {
            throw new IllegalArgumentException("inconsistent counts: total " + totalImages
                    + ", succeeded " + succeeded + ", failed " + failed);
        }
    }

    /** A freshly accepted request. */
    public static RequestStatus accepted(String requestId, int totalImages, Instant now, WebhookDelivery webhook) {
        return new RequestStatus(requestId, RequestState.PROCESSING, totalImages, 0, 0, now, now,
                Optional.empty(), Optional.empty(), webhook);
    }

    /** Images that have a result, successful or not. */
    public int done() {
        return succeeded + failed;
    }

    /** A copy with new counts. */
    public RequestStatus withCounts(int succeeded, int failed, Instant now) {
        return new RequestStatus(requestId, state, totalImages, succeeded, failed, createdAt, now,
                outputCsvUrl, failureReason, webhook);
    }

    /** A copy in a terminal state, with the output CSV URL (if one was published) and a failure reason (if any). */
    public RequestStatus finished(RequestState newState, Optional<URI> csvUrl, Optional<String> reason, Instant now) {
        return new RequestStatus(requestId, newState, totalImages, succeeded, failed, createdAt, now,
                csvUrl, reason, webhook);
    }

    /** Like the record's, but URLs lose their query strings: presigned URLs carry credentials. */
    @Override
    public String toString() {
        return "RequestStatus[requestId=" + requestId + ", state=" + state + ", totalImages=" + totalImages
                + ", succeeded=" + succeeded + ", failed=" + failed + ", createdAt=" + createdAt
                + ", updatedAt=" + updatedAt + ", outputCsvUrl=" + outputCsvUrl.map(Urls::withoutQuery)
                + ", failureReason=" + failureReason + ", webhook=" + webhook + "]";
    }

    /** A copy with a new webhook outcome. */
    public RequestStatus withWebhook(WebhookDelivery delivery, Instant now) {
        return new RequestStatus(requestId, state, totalImages, succeeded, failed, createdAt, now,
                outputCsvUrl, failureReason, delivery);
    }
}
