package dev.imagebatch.examples.progress;

import dev.imagebatch.ProcessingListener;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Lets a command wait for a request's webhook to be delivered or given up. The service sends
 * webhooks on its own threads after the request finishes, and closing the service drops attempts
 * still scheduled, so a command that exits right after the request would often send none.
 */
public final class WebhookWaiter implements ProcessingListener {

    private final Map<String, CompletableFuture<WebhookDelivery>> outcomes = new ConcurrentHashMap<>();

    @Override
    public void onWebhookAttempt(String requestId, WebhookDelivery delivery) {
        if (delivery.state() == WebhookDelivery.State.DELIVERED || delivery.state() == WebhookDelivery.State.FAILED) {
            outcome(requestId).complete(delivery);
        }
    }

    /**
     * Waits until the webhook of a finished request was delivered or every attempt failed; returns
     * at once for a request without a webhook.
     *
     * @return the final delivery, or the status's own for a request without a webhook
     */
    public WebhookDelivery await(RequestStatus finished) throws InterruptedException {
        if (finished.webhook().state() != WebhookDelivery.State.PENDING) {
            return finished.webhook();
        }
        try {
            return outcome(finished.requestId()).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("webhook wait failed", e.getCause());
        }
    }

    private CompletableFuture<WebhookDelivery> outcome(String requestId) {
        return outcomes.computeIfAbsent(requestId, id -> new CompletableFuture<>());
    }
}
