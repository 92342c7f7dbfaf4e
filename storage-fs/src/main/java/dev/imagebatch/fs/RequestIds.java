package dev.imagebatch.fs;

import java.util.regex.Pattern;

/**
 * Which request ids may become file names. The engine's ids are UUIDs; this accepts 1 to 128
 * characters of {@code [A-Za-z0-9._-]} that do not start with a dot and contain no {@code ..}, so
 * an id can never name a hidden file, climb out of the status directory, or carry a separator.
 */
final class RequestIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private RequestIds() {
    }

    /** Whether {@code id} can be used in a file name. */
    static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches() && !id.startsWith(".") && !id.contains("..");
    }

    /**
     * Returns {@code id} if it is valid.
     *
     * @throws IllegalArgumentException naming the id otherwise
     */
    static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("request id cannot be stored in a file name (allowed: 1..128 of"
                    + " [A-Za-z0-9._-], no leading dot, no '..'): " + id);
        }
        return id;
    }
}
