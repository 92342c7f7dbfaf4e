package dev.imagebatch.http;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.spi.ImageFailureException;
import java.time.Duration;

/**
 * How one attempt failed, and whether trying again could help. Internal to the fetcher; what
 * leaves it is {@link #failure()}.
 */
final class FetchFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ImageFailureException failure;
    private final boolean retryable;
    private final transient Duration retryAfter;

    private FetchFailure(ImageFailureException failure, boolean retryable, Duration retryAfter) {
        super(failure.getMessage(), null, false, false);
        this.failure = failure;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    static FetchFailure permanent(ErrorCode code, String message, Throwable cause) {
        return new FetchFailure(new ImageFailureException(code, message, cause), false, null);
    }

    static FetchFailure retryable(ErrorCode code, String message, Throwable cause) {
        return new FetchFailure(new ImageFailureException(code, message, cause), true, null);
    }

    /** A non-2xx answer; 429 and 5xx may be retried, after {@code retryAfter} if the server said so. */
    static FetchFailure status(int status, Duration retryAfter) {
        boolean transientStatus = status == 429 || status >= 500;
        return new FetchFailure(new ImageFailureException(ImageError.httpStatus(status)), transientStatus,
                transientStatus ? retryAfter : null);
    }

    ImageFailureException failure() {
        return failure;
    }

    boolean retryable() {
        return retryable;
    }

    /** The server's {@code Retry-After}, or {@code null} if it sent none (or none that parsed). */
    Duration retryAfter() {
        return retryAfter;
    }
}
