package dev.imagebatch.fs;

import java.io.IOException;
import java.nio.file.Path;

/** Builds {@link IOException}s that always name the path involved, keeping the original as cause. */
final class PathErrors {

    private PathErrors() {
    }

    /**
     * An exception saying what could not be done, to which path, and why.
     *
     * @param what  for example {@code "could not publish key csv/x.csv"}
     * @param path  the file or directory involved
     * @param cause the failure, kept as the cause
     */
    static IOException wrap(String what, Path path, IOException cause) {
        return new IOException(what + " (" + path + "): " + describe(cause), cause);
    }

    /** The class and message of a failure, for messages and logs. */
    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
