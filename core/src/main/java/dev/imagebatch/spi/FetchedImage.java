package dev.imagebatch.spi;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The bytes an {@link ImageFetcher} downloaded for one URL. Immutable: the bytes are copied in
 * and never handed out by reference.
 */
public final class FetchedImage {

    private final byte[] body;
    private final String contentType;
    private final URI finalUrl;

    private FetchedImage(byte[] body, String contentType, URI finalUrl) {
        this.body = body;
        this.contentType = contentType;
        this.finalUrl = finalUrl;
    }

    /**
     * @param body        the downloaded bytes; copied
     * @param contentType the {@code Content-Type} the server sent, or {@code null} if none; a hint
     *                    only, the codec sniffs the bytes
     * @param finalUrl    the URL the bytes came from after redirects
     */
    public static FetchedImage of(byte[] body, String contentType, URI finalUrl) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(finalUrl, "finalUrl");
        return new FetchedImage(body.clone(), contentType, finalUrl);
    }

    /** Number of bytes downloaded. */
    public int size() {
        return body.length;
    }

    /** A new stream over the bytes. */
    public InputStream openStream() {
        return new ByteArrayInputStream(body);
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return body.clone();
    }

    /** The server's {@code Content-Type}, if it sent one. */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** The URL the bytes were finally read from (after redirects). */
    public URI finalUrl() {
        return finalUrl;
    }

    /** Same bytes (used by tests and de-duplication). */
    public boolean sameBytes(FetchedImage other) {
        return Arrays.equals(body, other.body);
    }

    @Override
    public String toString() {
        return "FetchedImage[" + body.length + " bytes, " + contentType + "]";
    }
}
