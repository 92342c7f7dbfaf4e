package dev.imagebatch.s3;

import dev.imagebatch.spi.ObjectKeys;
import java.util.Objects;

/** Checks and normalises the key prefix both classes put in front of their keys. */
final class Prefixes {

    private Prefixes() {
    }

    /**
     * {@code ""} stays empty; anything else must be {@code /}-separated segments of
     * {@code [A-Za-z0-9._-]} (not {@code .} or {@code ..}), with or without a trailing {@code /},
     * and comes back ending with exactly one {@code /}.
     *
     * @throws IllegalArgumentException naming the prefix and what is wrong with it
     */
    static String normalize(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            return "";
        }
        String bare = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try {
            ObjectKeys.requireValid(bare);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid key prefix '" + prefix + "': " + e.getMessage(), e);
        }
        if (bare.length() > 256) {
            throw new IllegalArgumentException("key prefix longer than 256 characters: " + prefix);
        }
        return bare + "/";
    }

    /** The bucket name must be non-blank and free of slashes; S3 validates the rest. */
    static String bucket(String bucket) {
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isBlank() || bucket.contains("/")) {
            throw new IllegalArgumentException("invalid bucket name '" + bucket + "'");
        }
        return bucket;
    }
}
