package dev.imagebatch.http;

import java.time.Duration;

/** The validated settings of one {@link OkHttpImageFetcher}. */
record FetchSettings(
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        long maxBytes,
        int maxRedirects,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        String userAgent) {
}
