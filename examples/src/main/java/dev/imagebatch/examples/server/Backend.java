package dev.imagebatch.examples.server;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.examples.json.StatusViews;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the routes work with, set once the server knows its own URL: the service only exists after
 * the HTTP port is bound, because the URLs it publishes contain that port.
 */
final class Backend {

    /** The service and how its stored URLs are shown. */
    record Parts(ImageProcessingService service, StatusViews views) {
        Parts {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(views, "views");
        }
    }

    private final AtomicReference<Parts> parts = new AtomicReference<>();

    void set(Parts value) {
        parts.set(value);
    }

    /** The parts, or empty in the instant between binding the port and starting the service. */
    Optional<Parts> get() {
        return Optional.ofNullable(parts.get());
    }
}
