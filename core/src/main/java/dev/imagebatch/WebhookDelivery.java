package dev.imagebatch;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of the completion webhook of one request.
 *
 * @param state          where delivery stands
 * @param attempts       how many HTTP attempts were made so far
 * @param lastHttpStatus the status of the last attempt's response, {@code 0} if none arrived
 * @param lastError      why the last attempt failed, if it did
 * @param deliveredAt    when a 2xx answer arrived, if it did
 */
public record WebhookDelivery(State state, int attempts, int lastHttpStatus,
                              Optional<String> lastError, Optional<Instant> deliveredAt) {

    /** Delivery states. */
    public enum State {
        /** The request has no webhook URL. */
        NOT_REQUESTED,
        /** Not yet delivered; attempts remain (or the request has not finished). */
        PENDING,
        /** A receiver answered 2xx. */
        DELIVERED,
        /** Every attempt failed; no more will be made. */
        FAILED
    }

    /** The outcome for a request without a webhook. */
    public static final WebhookDelivery NOT_REQUESTED =
            new WebhookDelivery(State.NOT_REQUESTED, 0, 0, Optional.empty(), Optional.empty());

    /** The outcome for a request whose webhook has not been attempted yet. */
    public static final WebhookDelivery PENDING =
            new WebhookDelivery(State.PENDING, 0, 0, Optional.empty(), Optional.empty());

    public WebhookDelivery {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0");
        }
    }
}
