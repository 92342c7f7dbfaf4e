package dev.imagebatch.spi;

import java.util.regex.Pattern;

/**
 * The shape of the keys the engine publishes under, and the check every {@link ResultPublisher}
 * applies before touching storage.
 *
 * <p>Layout: {@code images/<requestId>/<row>/<index>.jpg}, {@code csv/<requestId>.csv},
 * {@code input/<requestId>.csv}. Keys never embed text from the CSV: a request id is a UUID, row
 * and index are numbers. A valid key is 1 to 512 characters of {@code /}-separated segments, each
 * made of {@code [A-Za-z0-9._-]}, not {@code .} or {@code ..}, not empty; so a key can never climb
 * out of a storage root or be read as an absolute path.
 */
public final class ObjectKeys {

    private static final int MAX_LENGTH = 512;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    private ObjectKeys() {
    }

    /** The key of a processed image. */
    public static String image(String requestId, int row, int index, String extension) {
        return requireValid("images/" + requestId + "/" + row + "/" + index + "." + extension);
    }

    /**
     * The key of a processed image written by the {@code generation}-th holder of its chunk when
     * several instances share a request: a holder that lost its chunk can only ever write under its
     * own generation, never over the image the output CSV points to.
     */
    public static String image(String requestId, int row, int index, long generation, String extension) {
        return requireValid("images/" + requestId + "/" + row + "/" + index + "-g" + generation + "." + extension);
    }

    /** The key of a request's output CSV. */
    public static String outputCsv(String requestId) {
        return requireValid("csv/" + requestId + ".csv");
    }

    /** The key of a request's persisted input CSV. */
    public static String inputCsv(String requestId) {
        return requireValid("input/" + requestId + ".csv");
    }

    /**
     * Returns {@code key} if it is valid.
     *
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    public static String requireValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("object key must be 1.." + MAX_LENGTH + " characters: " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || !SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("object key has an invalid segment '" + segment + "': " + key);
            }
        }
        return key;
    }
}
