package dev.imagebatch.http;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.FetchedImage;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One attempt at a fetch: the request, every redirect hop and the body, all within one call
 * timeout. Runs on a worker thread so that the calling thread can stay interruptible; the caller
 * may {@link #cancel()} it from any thread.
 */
final class Attempt implements Callable<FetchedImage> {

    static final String ACCEPT = "image/webp,image/png,image/jpeg,image/gif,image/*;q=0.8,*/*;q=0.5";

    /** Failures this close to the deadline are attributed to the call timeout. */
    private static final long DEADLINE_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private final OkHttpClient client;
    private final FetchSettings settings;
    private final HttpUrl target;

    private volatile boolean cancelled;
    private volatile Call current;
    private volatile int redirects;

    Attempt(OkHttpClient client, FetchSettings settings, HttpUrl target) {
        this.client = client;
        this.settings = settings;
        this.target = target;
    }

    /** Redirects followed so far. */
    int redirects() {
        return redirects;
    }

    /** Stops the attempt: the running call fails promptly and no further hop starts. */
    void cancel() {
        cancelled = true;
        Call call = current;
        if (call != null) {
            call.cancel();
        }
    }

    @Override
    public FetchedImage call() throws FetchFailure, IOException {
        long deadline = System.nanoTime() + settings.callTimeout().toNanos();
        HttpUrl url = target;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw FetchFailure.permanent(ErrorCode.TIMEOUT, "call timeout expired after " + redirects + " redirects", null);
            }
            Call call = client.newCall(new Request.Builder()
                    .url(url)
                    .header("User-Agent", settings.userAgent())
                    .header("Accept", ACCEPT)
                    .build());
            call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
            current = call;
            if (cancelled) {
                throw new IOException("fetch cancelled");
            }
            Response response;
            try {
                response = call.execute();
            } catch (IOException e) {
                throw unlessCancelled(Failures.beforeResponse(e, url.host(), pastDeadline(deadline)));
            }
            try (response) {
                int code = response.code();
                if (isRedirect(code)) {
                    url = nextHop(url, response.header("Location"));
                    continue;
                }
                if (code < 200 || code > 299) {
                    throw FetchFailure.status(code, Backoff.parseRetryAfter(response.header("Retry-After"), Instant.now()));
                }
                byte[] body;
                try {
                    body = BodyReader.read(response.body(), settings.maxBytes());
                } catch (IOException e) {
                    throw unlessCancelled(Failures.whileReading(e, url.host(), pastDeadline(deadline)));
                }
                return FetchedImage.of(body, response.header("Content-Type"), response.request().url().uri());
            }
        }
    }

    private HttpUrl nextHop(HttpUrl from, String location) throws FetchFailure {
        if (redirects >= settings.maxRedirects()) {
            throw FetchFailure.permanent(ErrorCode.TOO_MANY_REDIRECTS,
                    "more than " + settings.maxRedirects() + " redirects", null);
        }
        if (location == null || location.isBlank()) {
            throw FetchFailure.permanent(ErrorCode.REDIRECT_REFUSED, "redirect without a Location header", null);
        }
        HttpUrl next = FetchUrls.redirectTarget(from, location);
        if (next == null) {
            throw FetchFailure.permanent(ErrorCode.REDIRECT_REFUSED,
                    "redirect to a location that is not a valid http(s) URL", null);
        }
        redirects++;
        return next;
    }

    /** After {@link #cancel()}, whatever the transport reports is just the cancellation. */
    private FetchFailure unlessCancelled(FetchFailure failure) throws IOException {
        if (cancelled) {
            throw new IOException("fetch cancelled");
        }
        return failure;
    }

    private static boolean pastDeadline(long deadline) {
        return System.nanoTime() - deadline > -DEADLINE_SLACK_NANOS;
    }

    private static boolean isRedirect(int code) {
        return code == 300 || code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
