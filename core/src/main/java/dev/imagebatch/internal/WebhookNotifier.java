package dev.imagebatch.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.StatusStore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the completion webhook of finished requests: a signed JSON POST, retried with exponential
 * backoff and jitter on its own scheduler, so a slow or dead receiver never holds up image
 * work. Every attempt's outcome is written to the request's status.
 */
public final class WebhookNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WebhookSettings settings;
    private final OkHttpClient client;
    private final StatusStore store;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final SafeListener listener;
    private final WebhookSigner signer;
    /** Deliveries running in this notifier, each completed when its last attempt has been recorded. */
    private final Map<String, CompletableFuture<Void>> delivering = new ConcurrentHashMap<>();

    public WebhookNotifier(WebhookSettings settings, OkHttpClient client, StatusStore store, Clock clock,
                           ScheduledExecutorService scheduler, SafeListener listener) {
        this.settings = settings;
        this.client = client;
        this.store = store;
        this.clock = clock;
        this.scheduler = scheduler;
        this.listener = listener;
        this.signer = new WebhookSigner(settings.signingKey().orElse(null));
    }

    /**
     * Starts delivery for a request that reached a terminal state; returns at once. Does nothing if
     * this notifier is already delivering that request's webhook, or the request has no webhook.
     *
     * @return completes when this delivery has ended (delivered, given up, or dropped at close), or
     *         at once when there is nothing to send; the delivery already running if there is one
     */
    public CompletableFuture<Void> deliver(String requestId) {
        Optional<RequestRecord> record;
        try {
            record = store.find(requestId);
        } catch (IOException e) {
            LOG.warn("Could not read request {} to send its webhook: {}", requestId, e.toString());
            return CompletableFuture.completedFuture(null);
        }
        if (record.isEmpty() || record.get().webhookUrl().isEmpty()
                || record.get().status().webhook().state() != WebhookDelivery.State.PENDING) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> ended = new CompletableFuture<>();
        CompletableFuture<Void> running = delivering.putIfAbsent(requestId, ended);
        if (running != null) {
            return running;
        }
        String body = body(record.get().status());
        schedule(requestId, record.get().webhookUrl().get(), body, 1, 0);
        return ended;
    }

    private void ended(String requestId) {
        CompletableFuture<Void> ended = delivering.remove(requestId);
        if (ended != null) {
            ended.complete(null);
        }
    }

    static String body(RequestStatus status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("request_id", status.requestId());
        data.put("state", status.state().name());
        data.put("total_images", status.totalImages());
        data.put("succeeded", status.succeeded());
        data.put("failed", status.failed());
        data.put("output_csv_url", status.outputCsvUrl().map(URI::toString).orElse(null));
        data.put("failure_reason", status.failureReason().orElse(null));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", "request.finished");
        envelope.put("timestamp", status.updatedAt().toString());
        envelope.put("data", data);
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a webhook body", e);
        }
    }

    private void schedule(String requestId, URI url, String body, int attempt, long delayMillis) {
        try {
            scheduler.schedule(() -> attempt(requestId, url, body, attempt), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            ended(requestId);
            LOG.warn("Webhook of request {} not sent: the service is closing (attempt {} dropped; it stays PENDING "
                    + "and a later resumeUnfinished() sends it)", requestId, attempt);
        }
    }

    private void attempt(String requestId, URI url, String body, int attempt) {
        long timestamp = clock.instant().getEpochSecond();
        Request.Builder request = new Request.Builder()
                .url(url.toString())
                .post(RequestBody.create(body, JSON))
                .header("webhook-id", requestId)
                .header("webhook-timestamp", Long.toString(timestamp));
        signer.signature(requestId, timestamp, body).ifPresent(sig -> request.header("webhook-signature", sig));
        int status = 0;
        String error = null;
        try (Response response = client.newCall(request.build()).execute()) {
            status = response.code();
            if (!response.isSuccessful()) {
                error = "HTTP " + status;
            }
        } catch (IOException | RuntimeException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        boolean delivered = error == null;
        boolean last = delivered || attempt >= settings.maxAttempts();
        WebhookDelivery.State state = delivered ? WebhookDelivery.State.DELIVERED
                : last ? WebhookDelivery.State.FAILED : WebhookDelivery.State.PENDING;
        WebhookDelivery delivery = new WebhookDelivery(state, attempt, status, Optional.ofNullable(error),
                delivered ? Optional.of(now) : Optional.empty());
        try {
            store.update(requestId, r -> r.withStatus(r.status().withWebhook(delivery, now)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not record webhook outcome of request {}: {}", requestId, e.toString());
        }
        listener.onWebhookAttempt(requestId, delivery);
        if (last) {
            ended(requestId);
        }
        if (delivered) {
            LOG.debug("Webhook of request {} delivered on attempt {}", requestId, attempt);
        } else if (last) {
            LOG.warn("Webhook of request {} failed after {} attempts: {}", requestId, attempt, error);
        } else {
            schedule(requestId, url, body, attempt + 1, backoffMillis(attempt));
        }
    }

    /** Equal jitter: a random delay between half and all of initial * 2^(attempt-1), capped. */
    private long backoffMillis(int attempt) {
        long cap = settings.maxBackoff().toMillis();
        long ceiling = Math.min(cap, settings.initialBackoff().toMillis() << Math.min(attempt - 1, 30));
        return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }
}
