package dev.imagebatch.internal;

import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import java.time.Clock;
import java.util.concurrent.Semaphore;

/**
 * The parts every request run shares, wired once by the service. {@code imageSlots} bounds the
 * images in flight across all requests together, so many concurrent requests cannot hold more
 * downloaded bytes and pixels than one busy request would.
 */
public record EngineContext(StatusStore store, ResultPublisher publisher, ImagePipelineFactory pipelines,
                            ProcessingSettings settings, Clock clock, SafeListener listener, WebhookNotifier webhooks,
                            Semaphore imageSlots) {

    /** Images one request, and all requests together, may have in flight. */
    public static int maxImagesInFlight(ProcessingSettings settings) {
        return settings.fetchConcurrency() + 2 * settings.workers();
    }
}
