package dev.imagebatch.image;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;

/** Builds the {@link ImageFailureException}s of the decoding stages, with uniform messages. */
final class DecodeFailures {

    private DecodeFailures() {
    }

    /** A {@link ErrorCode#DECODE_ERROR} for a failure of a reader, naming the exception's type. */
    static ImageFailureException decodeError(ImageFormat format, String stage, Throwable cause) {
        String detail = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return new ImageFailureException(ErrorCode.DECODE_ERROR,
                "cannot " + stage + " " + format + " (" + cause.getClass().getName() + detail + ")", cause);
    }

    static ImageFailureException decodeError(ImageFormat format, String message) {
        return new ImageFailureException(ErrorCode.DECODE_ERROR, format + ": " + message);
    }
}
