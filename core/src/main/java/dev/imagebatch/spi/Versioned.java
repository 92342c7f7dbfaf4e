package dev.imagebatch.spi;

import java.util.Objects;

/**
 * A value as read from, or written to, a {@link WorkStore}, with the version the store gave it.
 * Versions are opaque (an S3 ETag, a counter): only equality means anything.
 *
 * @param value   the stored value
 * @param version the store's version of it
 */
public record Versioned<T>(T value, String version) {

    public Versioned {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
    }
}
