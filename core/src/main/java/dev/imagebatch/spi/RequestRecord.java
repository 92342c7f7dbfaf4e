package dev.imagebatch.spi;

import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link StatusStore} keeps for one request: its public {@link RequestStatus} plus what the
 * engine needs to resume it after a restart.
 *
 * @param status     the public snapshot
 * @param webhookUrl where to send the completion webhook, if the request has one; may carry a
 *                   token, so {@link #toString()} hides it
 */
public record RequestRecord(RequestStatus status, Optional<URI> webhookUrl) {

    public RequestRecord {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
    }

    /** Shorthand for {@code status().requestId()}. */
    public String requestId() {
        return status.requestId();
    }

    /**
     * Whether the request still needs work from some service: it is {@code PROCESSING}, or it has
     * finished but its webhook is still {@code PENDING} (for instance because the process died between
     * finishing and delivering). {@link StatusStore#unfinished()} lists exactly these.
     */
    public boolean needsWork() {
        return status.state() == RequestState.PROCESSING
                || status.webhook().state() == WebhookDelivery.State.PENDING;
    }

    /** A copy with a new status. */
    public RequestRecord withStatus(RequestStatus newStatus) {
        return new RequestRecord(newStatus, webhookUrl);
    }

    @Override
    public String toString() {
        return "RequestRecord[status=" + status + ", webhookUrl=" + webhookUrl.map(u -> "(set)").orElse("(none)") + "]";
    }
}
