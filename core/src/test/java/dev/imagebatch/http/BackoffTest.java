package dev.imagebatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private final Backoff backoff = new Backoff(4, Duration.ofMillis(100), Duration.ofMillis(350), Duration.ofSeconds(10));

    @Test
    void ceilingDoublesUpToTheMaximum() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(350));
        assertThat(backoff.ceiling(200)).isEqualTo(Duration.ofMillis(350));
    }

    @Test
    void jitteredPauseStaysWithinTheCeilingAndVaries() {
        FetchFailure failure = FetchFailure.status(503, null);
        java.util.Set<Duration> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration pause = backoff.delayAfter(2, failure);
            assertThat(pause).isBetween(Duration.ZERO, Duration.ofMillis(200));
            seen.add(pause);
        }
        assertThat(seen).hasSizeGreaterThan(10);
    }

    @Test
    void givesUpAfterTheLastAttemptAndForPermanentFailures() {
        assertThat(backoff.delayAfter(4, FetchFailure.status(503, null))).isNull();
        assertThat(backoff.delayAfter(1, FetchFailure.status(404, null))).isNull();
        assertThat(backoff.delayAfter(1, FetchFailure.permanent(ErrorCode.TOO_LARGE, "x", null))).isNull();
        assertThat(backoff.delayAfter(1, FetchFailure.retryable(ErrorCode.CONNECTION_ERROR, "x", null))).isNotNull();
    }

    @Test
    void retryAfterIsUsedExactlyUnlessAboveTheCeiling() {
        assertThat(backoff.delayAfter(1, FetchFailure.status(429, Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delayAfter(1, FetchFailure.status(503, Duration.ofSeconds(10)))).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delayAfter(1, FetchFailure.status(429, Duration.ofSeconds(11)))).isNull();
    }

    @Test
    void retryAfterOnAPermanentStatusIsIgnored() {
        assertThat(FetchFailure.status(404, Duration.ofSeconds(1)).retryAfter()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "1, PT1S",
        "' 120 ', PT2M",
        "0, PT0S",
        "007, PT7S",
        "99999999999999999999, PT277777H46M39S",
        "'Wed, 01 Jan 2025 00:00:30 GMT', PT30S",
        "'Tue, 31 Dec 2024 23:00:00 GMT', PT0S",
    })
    void parsesRetryAfter(String header, String expected) {
        assertThat(Backoff.parseRetryAfter(header, NOW)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-1", "1.5", "2025-01-01T00:00:30Z"})
    void ignoresUnparseableRetryAfter(String header) {
        assertThat(Backoff.parseRetryAfter(header, NOW)).isNull();
    }

    @Test
    void absentRetryAfterIsNull() {
        assertThat(Backoff.parseRetryAfter(null, NOW)).isNull();
    }
}
