package dev.imagebatch.examples.wiring;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.ScaleOutSettings;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link ImageProcessingService} wired to a {@link Storage} and an {@link OkHttpImageFetcher},
 * closed together in the right order: the service first (it drains images in flight into the
 * store), then the fetcher, then the storage.
 *
 * <p>This is the wiring a host application writes; see the README for the same in a few lines.
 */
public final class Engine implements AutoCloseable {

    private final Storage storage;
    private final OkHttpImageFetcher fetcher;
    private final ImageProcessingService service;

    private Engine(Storage storage, OkHttpImageFetcher fetcher, ImageProcessingService service) {
        this.storage = storage;
        this.fetcher = fetcher;
        this.service = service;
    }

    /**
     * Builds the service. On failure the fetcher is closed; the storage stays the caller's.
     *
     * @param storage  where records and objects go; closed by {@link #close()}
     * @param fetcher  downloads images; closed by {@link #close()}
     * @param settings concurrency and limits
     * @param webhook  webhook signing and address policy
     * @param listener progress callbacks
     */
    public static Engine start(Storage storage, OkHttpImageFetcher fetcher, ProcessingSettings settings,
                               WebhookSettings webhook, ProcessingListener listener) {
        return start(storage, fetcher, settings, webhook, listener, Optional.empty());
    }

    /**
     * Builds the service, sharing requests with other instances through the storage's work store
     * when {@code scaleOut} is given. On failure the fetcher is closed; the storage stays the caller's.
     *
     * @param scaleOut chunking and leases, to share work; empty to run every request here
     * @throws IllegalArgumentException if {@code scaleOut} is given but the storage cannot be shared
     */
    public static Engine start(Storage storage, OkHttpImageFetcher fetcher, ProcessingSettings settings,
                               WebhookSettings webhook, ProcessingListener listener, Optional<ScaleOutSettings> scaleOut) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(fetcher, "fetcher");
        try {
            ImageProcessingService.Builder builder = ImageProcessingService.builder()
                    .statusStore(storage.store())
                    .resultPublisher(storage.publisher())
                    .imageFetcher(fetcher)
                    .settings(settings)
                    .webhook(webhook)
                    .listener(listener);
            if (scaleOut.isPresent()) {
                builder.workStore(storage.workStore().orElseThrow(() -> new IllegalArgumentException(
                        "--scale-out needs storage several instances can share (--storage s3)")))
                        .scaleOut(scaleOut.get());
            }
            ImageProcessingService service = builder.build();
            return new Engine(storage, fetcher, service);
        } catch (RuntimeException e) {
            fetcher.close();
            throw e;
        }
    }

    public ImageProcessingService service() {
        return service;
    }

    public Storage storage() {
        return storage;
    }

    /** Closes the service, the fetcher and the storage, in that order. Idempotent. */
    @Override
    public void close() {
        service.close();
        fetcher.close();
        storage.close();
    }
}
