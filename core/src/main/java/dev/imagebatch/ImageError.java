package dev.imagebatch;

import java.util.Objects;

/**
 * Why one image failed: a {@link ErrorCode} to switch on, a message for people and, for
 * {@link ErrorCode#HTTP_STATUS}, the status the server answered.
 *
 * @param code       the failure kind, never {@code null}
 * @param message    a short human-readable detail such as {@code "HTTP 404"}, never {@code null};
 *                   it never contains credentials from the URL
 * @param httpStatus the HTTP status for {@link ErrorCode#HTTP_STATUS}, otherwise {@code 0}
 */
public record ImageError(ErrorCode code, String message, int httpStatus) {

    public ImageError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (code == ErrorCode.HTTP_STATUS && (httpStatus < 100 || httpStatus > 999)) {
            throw new IllegalArgumentException("HTTP_STATUS needs a status in 100..999, got " + httpStatus);
        }
        if (code != ErrorCode.HTTP_STATUS && httpStatus != 0) {
            throw new IllegalArgumentException("httpStatus is only meaningful with HTTP_STATUS");
        }
    }

    /** An error of the given kind. */
    public static ImageError of(ErrorCode code, String message) {
        return new ImageError(code, message, 0);
    }

    /** An {@link ErrorCode#HTTP_STATUS} error whose message is {@code "HTTP <status>"}. */
    public static ImageError httpStatus(int status) {
        return new ImageError(ErrorCode.HTTP_STATUS, "HTTP " + status, status);
    }
}
