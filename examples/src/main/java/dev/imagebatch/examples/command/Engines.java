package dev.imagebatch.examples.command;

import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.ScaleOutSettings;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.examples.options.EngineOptions;
import dev.imagebatch.examples.options.FetchOptions;
import dev.imagebatch.examples.options.StorageOptions;
import dev.imagebatch.examples.wiring.Engine;
import dev.imagebatch.examples.wiring.Storage;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/** Builds an {@link Engine} from the command-line options, releasing what was built if a step fails. */
final class Engines {

    private Engines() {
    }

    /**
     * Checks every option first (a bad value fails before anything is opened), then opens the
     * storage and starts the service.
     *
     * @throws IOException              if the storage cannot be opened
     * @throws IllegalArgumentException if an option's value is out of range
     */
    static Engine open(StorageOptions storage, Optional<URI> publicBaseUrl, FetchOptions fetch, EngineOptions engine,
                       ProcessingListener listener) throws IOException {
        return open(storage, publicBaseUrl, fetch, engine, listener, Optional.empty());
    }

    /** As above, sharing requests with other instances when {@code scaleOut} is given. */
    static Engine open(StorageOptions storage, Optional<URI> publicBaseUrl, FetchOptions fetch, EngineOptions engine,
                       ProcessingListener listener, Optional<ScaleOutSettings> scaleOut) throws IOException {
        if (scaleOut.isPresent() && storage.isLocal()) {
            throw new IllegalArgumentException("--scale-out needs --storage s3: a data directory belongs to one process");
        }
        ProcessingSettings settings = engine.settings();
        WebhookSettings webhook = engine.webhookSettings(fetch.addressPolicy());
        OkHttpImageFetcher fetcher = fetch.fetcher();
        Storage opened;
        try {
            opened = storage.open(publicBaseUrl);
        } catch (IOException | RuntimeException e) {
            fetcher.close();
            throw e;
        }
        try {
            return Engine.start(opened, fetcher, settings, webhook, listener, scaleOut);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }
}
