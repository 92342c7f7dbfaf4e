package dev.imagebatch.spi;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import java.io.IOException;
import java.util.Objects;

/**
 * An image could not be fetched or processed for a reason the library classifies. Thrown by
 * {@link ImageFetcher} implementations and by the image codec; the engine records
 * {@link #error()} as the image's result and carries on with the rest of the request.
 *
 * <p>Any other {@link IOException} from a fetcher is recorded as
 * {@link ErrorCode#CONNECTION_ERROR}.
 */
public class ImageFailureException extends IOException {

    private final transient ImageError error;

    public ImageFailureException(ImageError error) {
        this(error, null);
    }

    public ImageFailureException(ImageError error, Throwable cause) {
        super(Objects.requireNonNull(error, "error").code() + ": " + error.message(), cause);
        this.error = error;
    }

    public ImageFailureException(ErrorCode code, String message) {
        this(ImageError.of(code, message), null);
    }

    public ImageFailureException(ErrorCode code, String message, Throwable cause) {
        this(ImageError.of(code, message), cause);
    }

    /** The classified failure. */
    public ImageError error() {
        return error;
    }

    /** Shorthand for {@code error().code()}. */
    public ErrorCode code() {
        return error.code();
    }
}
