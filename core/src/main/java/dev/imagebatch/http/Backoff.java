package dev.imagebatch.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try again: exponential backoff with full jitter, or the server's {@code Retry-After}
 * when it sent one that is not longer than the configured ceiling. Immutable; safe for concurrent
 * use.
 */
final class Backoff {

    /** Retry-After values longer than this many seconds are treated as "very long". */
    private static final int MAX_SECONDS_DIGITS = 9;

    private final int maxAttempts;
    private final Duration initial;
    private final Duration max;
    private final Duration maxRetryAfter;

    Backoff(int maxAttempts, Duration initial, Duration max, Duration maxRetryAfter) {
        this.maxAttempts = maxAttempts;
        this.initial = initial;
        this.max = max;
        this.maxRetryAfter = maxRetryAfter;
    }

    /**
     * The pause before the next attempt, or {@code null} to give up.
     *
     * @param failedAttempt the 1-based number of the attempt that just failed
     */
    Duration delayAfter(int failedAttempt, FetchFailure failure) {
        if (!failure.retryable() || failedAttempt >= maxAttempts) {
            return null;
        }
        Duration retryAfter = failure.retryAfter();
        if (retryAfter != null) {
            // A server asking for a longer pause than we are willing to wait would most likely
            // refuse an earlier retry too, so the answer stands instead.
            return retryAfter.compareTo(maxRetryAfter) > 0 ? null : retryAfter;
        }
        long capNanos = ceiling(failedAttempt).toNanos();
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(capNanos + 1));
    }

    /** {@code min(max, initial * 2^(failedAttempt-1))}: the upper bound of the jittered pause. */
    Duration ceiling(int failedAttempt) {
        int doublings = Math.min(failedAttempt - 1, 30);
        long nanos = initial.toNanos();
        long cap = max.toNanos();
        for (int i = 0; i < doublings && nanos < cap; i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, cap));
    }

    /**
     * Parses a {@code Retry-After} value: delay seconds or an HTTP date.
     *
     * @param value the header value, possibly null
     * @param now   the current time, for HTTP dates
     * @return the pause (zero for dates in the past), or {@code null} if absent or unparseable
     */
    static Duration parseRetryAfter(String value, Instant now) {
        if (value == null) {
            return null;
        }
        String text = value.trim();
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String digits = text.replaceFirst("^0+(?=.)", "");
            return digits.length() > MAX_SECONDS_DIGITS
                    ? Duration.ofSeconds(999_999_999L)
                    : Duration.ofSeconds(Long.parseLong(digits));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
