package dev.imagebatch.fs;

import dev.imagebatch.spi.ObjectKeys;
import java.nio.file.Path;

/**
 * Maps object keys to files under a root directory. A key is checked with
 * {@link ObjectKeys#requireValid(String)} (so it has no {@code ..}, no absolute form, no backslash,
 * no empty segment), resolved one segment at a time, and the result is checked again to lie strictly
 * inside the root. The top-level name {@value #RESERVED} is refused: {@link FileStatusStore} keeps
 * its files there when both share a root.
 */
final class KeyPaths {

    /** The first key segment no object may use. */
    static final String RESERVED = FileStatusStore.STATUS_DIRECTORY;

    private final Path root;

    /** @param root an absolute, normalised directory path */
    KeyPaths(Path root) {
        this.root = root;
    }

    /**
     * The file of {@code key}.
     *
     * @throws IllegalArgumentException if the key is invalid, reserved, or would leave the root
     */
    Path resolve(String key) {
        ObjectKeys.requireValid(key);
        String[] segments = key.split("/");
        if (segments[0].equals(RESERVED)) {
            throw new IllegalArgumentException("object keys under '" + RESERVED + "/' are reserved for the status store: " + key);
        }
        Path path = root;
        for (String segment : segments) {
            path = path.resolve(segment);
        }
        Path normalized = path.normalize();
        if (!normalized.startsWith(root) || normalized.equals(root) || !normalized.equals(path)) {
            throw new IllegalArgumentException("object key does not resolve inside the storage root: " + key);
        }
        return path;
    }
}
