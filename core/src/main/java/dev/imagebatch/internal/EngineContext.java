package dev.imagebatch.internal;

import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import java.time.Clock;

/** The parts every request run shares, wired once by the service. */
public record EngineContext(StatusStore store, ResultPublisher publisher, ImagePipelineFactory pipelines,
                            ProcessingSettings settings, Clock clock, SafeListener listener, WebhookNotifier webhooks) {
}
