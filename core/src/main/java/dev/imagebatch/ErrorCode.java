package dev.imagebatch;

/**
 * Why one image failed. A closed set that callers can {@code switch} on; the accompanying
 * {@link ImageError#message()} carries the human-readable detail.
 *
 * <p>New constants may be added in a minor release only for failure kinds that previously
 * surfaced as {@link #INTERNAL}.
 */
public enum ErrorCode {
    /** The server answered with a non-2xx status; {@link ImageError#httpStatus()} holds it. */
    HTTP_STATUS,
    /** Connecting, reading or the whole call took longer than its configured timeout. */
    TIMEOUT,
    /** The body exceeded the configured byte limit (checked while reading, not from headers). */
    TOO_LARGE,
    /**
     * The image header declares more pixels than the configured pixel limit, or a side whose output
     * would be longer than the 65,500 pixels a JPEG side can have.
     */
    TOO_MANY_PIXELS,
    /** The host resolved to an address that the address policy refuses (loopback, private...). */
    BLOCKED_ADDRESS,
    /** The URL's scheme is not {@code http} or {@code https}. */
    UNSUPPORTED_SCHEME,
    /** The URL could not be parsed as an absolute http(s) URL. */
    INVALID_URL,
    /** More redirects than the configured limit, or a redirect loop. */
    TOO_MANY_REDIRECTS,
    /** A redirect pointed somewhere the fetcher will not follow (other scheme, missing Location). */
    REDIRECT_REFUSED,
    /** The server answered 2xx with an empty body. */
    EMPTY_BODY,
    /** The connection ended before the declared body length was read. */
    INCOMPLETE_BODY,
    /** Connecting or talking to the server failed (refused, reset, TLS failure...). */
    CONNECTION_ERROR,
    /** The host name did not resolve. */
    UNKNOWN_HOST,
    /** The bytes are not an image in any format known to the library (HTML, text...). */
    NOT_AN_IMAGE,
    /** The bytes are an image format that the library deliberately does not decode (SVG, AVIF...). */
    UNSUPPORTED_FORMAT,
    /** The bytes claim a supported format but could not be decoded. */
    DECODE_ERROR,
    /** Publishing the processed image to storage failed. */
    STORAGE_ERROR,
    /** The request was cancelled before this image was processed. */
    CANCELLED,
    /** An unexpected failure inside the library; the message holds the exception's type. */
    INTERNAL
}
