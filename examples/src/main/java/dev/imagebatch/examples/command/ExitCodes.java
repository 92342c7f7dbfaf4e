package dev.imagebatch.examples.command;

import dev.imagebatch.RequestState;

/** The exit codes of every command. */
public final class ExitCodes {

    /** Every image succeeded (or, for {@code status}, the request was found). */
    public static final int OK = 0;
    /** The request completed, but some images failed. */
    public static final int IMAGE_FAILURES = 1;
    /** The input CSV was rejected; nothing was stored. */
    public static final int INVALID_CSV = 2;
    /** Anything else: a bad command line, storage or network trouble, a failed or cancelled request. */
    public static final int ERROR = 3;

    private ExitCodes() {
    }

    /** The exit code for a request that ended in {@code state}. */
    public static int of(RequestState state) {
        return switch (state) {
            case COMPLETED -> OK;
            case COMPLETED_WITH_ERRORS -> IMAGE_FAILURES;
            case PROCESSING, FAILED, CANCELLED -> ERROR;
        };
    }
}
