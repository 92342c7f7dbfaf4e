package dev.imagebatch.examples.options;

import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.http.AddressPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Concurrency, the pixel limit, progress batching and the webhook signing secret: how the engine runs. */
public final class EngineOptions {

    @Option(names = "--fetch-concurrency", paramLabel = "N",
            description = "Downloads in flight at once (default: 16).")
    Integer fetchConcurrency;

    @Option(names = "--workers", paramLabel = "N",
            description = "Images decoded and encoded at once (default: the number of cores).")
    Integer workers;

    @Option(names = "--max-active-requests", paramLabel = "N",
            description = "Requests processing at once; more are refused (serve answers 503) (default: 16).")
    Integer maxActiveRequests;

    @Option(names = "--max-pixels", paramLabel = "PIXELS",
            description = "Largest image accepted, in pixels read from its header before decoding (default: 50000000).")
    Long maxPixels;

    @Option(names = "--progress-batch", paramLabel = "N",
            description = "Image results recorded together (with --scale-out: per write of a chunk's record) (default: 32).")
    Integer progressBatch;

    @Option(names = "--progress-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest wait before results not yet recorded are written anyway (default: 1s).")
    Duration progressInterval;

    @Option(names = "--webhook-secret", paramLabel = "SECRET",
            description = "Signs completion webhooks (Standard Webhooks; whsec_<base64> or any text). "
                    + "Give it again to resume or serve, since webhooks are sent by whoever finishes the request.")
    String webhookSecret;

    /**
     * The processing settings these flags give.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public ProcessingSettings settings() {
        ProcessingSettings.Builder builder = ProcessingSettings.builder();
        if (fetchConcurrency != null) {
            builder.fetchConcurrency(fetchConcurrency);
        }
        if (workers != null) {
            builder.workers(workers);
        }
        if (maxPixels != null) {
            builder.maxPixels(maxPixels);
        }
        if (maxActiveRequests != null) {
            builder.maxActiveRequests(maxActiveRequests);
        }
        if (progressBatch != null) {
            builder.progressBatchSize(progressBatch);
        }
        if (progressInterval != null) {
            builder.progressInterval(progressInterval);
        }
        return builder.build();
    }

    /**
     * The webhook settings: the secret, and the same address policy as image downloads so that a
     * receiver on an opened range (a local test receiver, say) can be reached.
     */
    public WebhookSettings webhookSettings(AddressPolicy policy) {
        WebhookSettings.Builder builder = WebhookSettings.builder().addressPolicy(policy);
        if (webhookSecret != null) {
            builder.secret(webhookSecret);
        }
        return builder.build();
    }
}
