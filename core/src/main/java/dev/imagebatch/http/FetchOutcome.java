package dev.imagebatch.http;

import dev.imagebatch.ImageError;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The summary of one fetch, passed to a {@link FetchListener}. Immutable.
 */
public final class FetchOutcome {

    private final String url;
    private final int attempts;
    private final int redirects;
    private final long bytes;
    private final ImageError failure;
    private final Duration elapsed;

    FetchOutcome(String url, int attempts, int redirects, long bytes, ImageError failure, Duration elapsed) {
        this.url = Objects.requireNonNull(url, "url");
        this.attempts = attempts;
        this.redirects = redirects;
        this.bytes = bytes;
        this.failure = failure;
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * {@return the requested URL without user info and query ({@code https://cdn.example/a.jpg?...}),
     * or {@code "(invalid URL)"} when it could not be parsed}
     */
    public String url() {
        return url;
    }

    /** {@return the attempts made: 1 without retries, 0 if the URL was rejected up front} */
    public int attempts() {
        return attempts;
    }

    /** {@return the redirects followed during the last attempt} */
    public int redirects() {
        return redirects;
    }

    /** {@return the size of the downloaded body in bytes; 0 on failure} */
    public long bytes() {
        return bytes;
    }

    /**
     * {@return why the fetch failed, or empty on success} An interrupted fetch reports
     * {@link dev.imagebatch.ErrorCode#CANCELLED}; an unclassified transport error
     * {@link dev.imagebatch.ErrorCode#CONNECTION_ERROR}.
     */
    public Optional<ImageError> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@return whether the fetch returned an image} */
    public boolean succeeded() {
        return failure == null;
    }

    /** {@return the wall time from the call to {@code fetch} to its end, retries and pauses included} */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "FetchOutcome[" + url + ", attempts=" + attempts + ", redirects=" + redirects
                + ", bytes=" + bytes + ", " + (failure == null ? "ok" : failure.code() + ": " + failure.message())
                + ", " + elapsed.toMillis() + " ms]";
    }
}
