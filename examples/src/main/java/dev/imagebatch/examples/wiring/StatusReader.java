package dev.imagebatch.examples.wiring;

import dev.imagebatch.spi.StatusStore;
import java.util.Objects;

/**
 * A status store opened only to read, with what must be closed after it. Reading never takes the
 * writer's lock, so {@code status} works while {@code process} or {@code serve} runs on the same data.
 *
 * @param store    the store to query
 * @param resource released by {@link #close()}
 */
public record StatusReader(StatusStore store, AutoCloseable resource) implements AutoCloseable {

    public StatusReader {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(resource, "resource");
    }

    @Override
    public void close() throws Exception {
        resource.close();
    }
}
