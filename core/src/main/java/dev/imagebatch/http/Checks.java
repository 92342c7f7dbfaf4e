package dev.imagebatch.http;

import java.time.Duration;

/** Argument validation shared by the builders; messages name the setting and the bad value. */
final class Checks {

    /** OkHttp stores timeouts as int milliseconds. */
    private static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    private Checks() {
    }

    /** A duration of at least 1 ms and at most {@code Integer.MAX_VALUE} ms. */
    static Duration timeout(String setting, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " must not be null");
        }
        if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(setting + " must be between 1 ms and " + MAX_TIMEOUT
                    + ", got " + value);
        }
        return value;
    }

    /** A duration of zero or more, at most {@code Integer.MAX_VALUE} ms. */
    static Duration nonNegative(String setting, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " must not be null");
        }
        if (value.isNegative() || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(setting + " must be between 0 and " + MAX_TIMEOUT
                    + ", got " + value);
        }
        return value;
    }

    static <T> T notNull(String setting, T value) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " must not be null");
        }
        return value;
    }

    static long inRange(String setting, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " must be between " + min + " and " + max
                    + ", got " + value);
        }
        return value;
    }
}
