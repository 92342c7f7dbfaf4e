package dev.imagebatch.http;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.spi.FetchedImage;
import dev.imagebatch.spi.ImageFailureException;
import dev.imagebatch.spi.ImageFetcher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Authenticator;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ImageFetcher}: downloads images over http(s) with OkHttp, refusing
 * addresses its {@link AddressPolicy} refuses (by default everything but public unicast).
 *
 * <p><b>Behaviour.</b> Only {@code http} and {@code https} URLs are fetched
 * ({@code UNSUPPORTED_SCHEME} otherwise; {@code INVALID_URL} for relative, host-less or malformed
 * ones). User info in a URL ({@code http://user:pass@host/}) is dropped before anything is sent:
 * it is never sent, logged or put in a message or in {@link FetchedImage#finalUrl()}. Redirects
 * (300, 301, 302, 303, 307, 308) are followed by the fetcher itself, each hop re-checked like the
 * first ({@code TOO_MANY_REDIRECTS} past {@link Builder#maxRedirects}, {@code REDIRECT_REFUSED}
 * without a usable http(s) {@code Location}). The body is streamed into memory and the fetch fails
 * with {@code TOO_LARGE} as soon as it exceeds {@link Builder#maxBytes}, whatever
 * {@code Content-Length} says. See {@link dev.imagebatch.ErrorCode} for the other failures.
 *
 * <p><b>Retries.</b> A fetch makes up to {@link Builder#maxAttempts} attempts, each starting again
 * from the original URL. Only connection failures before a response (including connect timeouts),
 * HTTP 429 and HTTP 5xx are retried; other 4xx, read and call timeouts and body errors are not.
 * Between attempts the fetcher sleeps a random time between zero and
 * {@code min(maxBackoff, initialBackoff * 2^(attempt-1))}, or exactly the server's
 * {@code Retry-After} (seconds or HTTP date) when it is at most {@link Builder#maxRetryAfter};
 * a longer {@code Retry-After} ends the fetch with that status at once.
 *
 * <p><b>Time.</b> {@link Builder#callTimeout} bounds each attempt, redirects and body included, so
 * a fetch takes at most about {@code maxAttempts * callTimeout} plus the pauses between attempts.
 *
 * <p><b>Threads.</b> Safe for concurrent use. {@link #fetch} blocks the calling thread; the
 * network work runs on a worker thread owned by this fetcher so that interrupting the calling
 * thread stops the fetch at once (the call is cancelled and {@link InterruptedIOException} is
 * thrown with the interrupt status kept).
 *
 * <p><b>Lifecycle.</b> {@link #close()} cancels running fetches and stops the worker threads. If
 * the fetcher created its OkHttp client it also shuts that client's dispatcher down and evicts its
 * connection pool; a client passed to {@link Builder#client} is never shut down.
 */
public final class OkHttpImageFetcher implements ImageFetcher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OkHttpImageFetcher.class);

    /** How long past the call timeout the caller waits for a worker that OkHttp failed to stop. */
    private static final long WAIT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final AtomicInteger FETCHER_IDS = new AtomicInteger();

    private final FetchSettings settings;
    private final Backoff backoff;
    private final FetchListener listener;
    private final OkHttpClient client;
    private final boolean ownsClient;
    private final ExecutorService workers;
    private final Set<Attempt> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private OkHttpImageFetcher(Builder builder) {
        this.settings = new FetchSettings(builder.connectTimeout, builder.readTimeout, builder.callTimeout,
                builder.maxBytes, builder.maxRedirects, builder.maxAttempts, builder.initialBackoff,
                builder.maxBackoff, builder.maxRetryAfter, builder.userAgent);
        this.backoff = new Backoff(settings.maxAttempts(), settings.initialBackoff(), settings.maxBackoff(),
                settings.maxRetryAfter());
        this.listener = builder.listener;
        this.ownsClient = builder.client == null;
        OkHttpClient base = ownsClient ? new OkHttpClient() : builder.client;
        this.client = GuardedClient.create(base, builder.addressPolicy, settings.connectTimeout(),
                        settings.readTimeout(), settings.callTimeout())
                .newBuilder()
                // Retries are counted and paced here, not silently repeated inside OkHttp.
                .retryOnConnectionFailure(false)
                // Untrusted servers must not receive the host application's cookies or credentials.
                .cookieJar(CookieJar.NO_COOKIES)
                .authenticator(Authenticator.NONE)
                .build();
        this.workers = newWorkers();
    }

    /**
     * A builder with the documented defaults.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Downloads {@code url}; see the class description for redirects, retries and limits.
     *
     * @param url an absolute http(s) URL; not null
     * @return the downloaded bytes with their content type and final URL; never null
     * @throws ImageFailureException   for a classified failure (its {@link ImageFailureException#code()})
     * @throws InterruptedIOException  if the calling thread was interrupted (its interrupt status is kept)
     * @throws IOException             if the fetcher was closed while fetching
     * @throws IllegalStateException   if the fetcher was closed before the call
     */
    @Override
    public FetchedImage fetch(URI url) throws IOException {
        Objects.requireNonNull(url, "url");
        if (closed.get()) {
            throw new IllegalStateException("fetcher is closed");
        }
        Progress progress = new Progress(System.nanoTime());
        FetchedImage image = null;
        ImageError failure = ImageError.of(ErrorCode.INTERNAL, "unexpected error");
        try {
            image = fetchWithRetries(url, progress);
            failure = null;
            return image;
        } catch (ImageFailureException e) {
            failure = e.error();
            throw e;
        } catch (InterruptedIOException e) {
            failure = ImageError.of(ErrorCode.CANCELLED, "interrupted");
            throw e;
        } catch (IOException e) {
            failure = ImageError.of(ErrorCode.CONNECTION_ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            report(progress, image, failure);
        }
    }

    private FetchedImage fetchWithRetries(URI uri, Progress progress) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted before the fetch started");
        }
        HttpUrl target = FetchUrls.fromUri(uri);
        progress.url = UrlText.redacted(target);
        while (true) {
            if (closed.get()) {
                throw new IOException("fetcher was closed");
            }
            progress.attempts++;
            Attempt attempt = new Attempt(client, settings, target);
            try {
                FetchedImage image = runOnWorker(attempt);
                LOG.debug("Fetched {} bytes from {} (attempt {}, {} redirects)",
                        image.size(), progress.url, progress.attempts, attempt.redirects());
                return image;
            } catch (FetchFailure failure) {
                Duration pause = backoff.delayAfter(progress.attempts, failure);
                if (pause == null) {
                    LOG.debug("Fetching {} failed after {} attempt(s): {}",
                            progress.url, progress.attempts, failure.getMessage());
                    throw failure.failure();
                }
                LOG.debug("Attempt {} for {} failed ({}); retrying in {} ms",
                        progress.attempts, progress.url, failure.getMessage(), pause.toMillis());
                sleep(pause);
            } finally {
                progress.redirects = attempt.redirects();
            }
        }
    }

    private FetchedImage runOnWorker(Attempt attempt) throws FetchFailure, IOException {
        running.add(attempt);
        try {
            Future<FetchedImage> future;
            try {
                future = workers.submit(attempt);
            } catch (RejectedExecutionException e) {
                throw new IOException("fetcher was closed", e);
            }
            try {
                return future.get(settings.callTimeout().toNanos() + WAIT_GRACE_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                attempt.cancel();
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("fetch interrupted");
            } catch (TimeoutException e) {
                // Only reached if OkHttp could not stop the call itself (e.g. a hung DNS lookup).
                attempt.cancel();
                future.cancel(true);
                throw FetchFailure.permanent(ErrorCode.TIMEOUT, "call timeout expired", null);
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            }
        } finally {
            running.remove(attempt);
        }
    }

    private static RuntimeException rethrow(Throwable cause) throws FetchFailure, IOException {
        if (cause instanceof FetchFailure failure) {
            throw failure;
        }
        if (cause instanceof IOException io) {
            throw io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IOException("fetch failed", cause);
    }

    private static void sleep(Duration pause) throws InterruptedIOException {
        try {
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    private void report(Progress progress, FetchedImage image, ImageError failure) {
        FetchOutcome outcome = new FetchOutcome(progress.url, progress.attempts, progress.redirects,
                image == null ? 0 : image.size(), failure, Duration.ofNanos(System.nanoTime() - progress.started));
        try {
            listener.fetchFinished(outcome);
        } catch (RuntimeException e) {
            LOG.warn("FetchListener {} threw; ignoring", listener.getClass().getName(), e);
        }
    }

    /**
     * Cancels running fetches and releases threads. Idempotent; safe to call from any thread.
     * If the fetcher created its own OkHttp client, that client's dispatcher is shut down and its
     * idle connections are closed; a client passed to {@link Builder#client} is left untouched.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running.forEach(Attempt::cancel);
        workers.shutdownNow();
        if (ownsClient) {
            client.dispatcher().cancelAll();
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static ExecutorService newWorkers() {
        int fetcherId = FETCHER_IDS.incrementAndGet();
        AtomicInteger threadIds = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "imagebatch-fetch-" + fetcherId + "-" + threadIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
    }

    /** Mutable bookkeeping of one fetch call; confined to the calling thread. */
    private static final class Progress {
        final long started;
        String url = "(invalid URL)";
        int attempts;
        int redirects;

        Progress(long started) {
            this.started = started;
        }
    }

    /**
     * Configures an {@link OkHttpImageFetcher}. Each setter validates its argument at once and
     * throws {@link IllegalArgumentException} naming the setting and the value. Not thread-safe.
     */
    public static final class Builder {

        /** 25 MiB. */
        public static final long DEFAULT_MAX_BYTES = 25L * 1024 * 1024;
        /** Bodies are held in a byte array, so this is the hard upper limit for {@link #maxBytes}. */
        public static final long MAX_MAX_BYTES = Integer.MAX_VALUE - 8L;

        private OkHttpClient client;
        private AddressPolicy addressPolicy = AddressPolicy.publicOnly();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration callTimeout = Duration.ofSeconds(30);
        private long maxBytes = DEFAULT_MAX_BYTES;
        private int maxRedirects = 5;
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration maxRetryAfter = Duration.ofSeconds(10);
        private String userAgent = defaultUserAgent();
        private FetchListener listener = FetchListener.NONE;

        private Builder() {
        }

        /**
         * The host application's client to derive from (sharing its connection pool); by default
         * the fetcher creates and owns one. The given client is never modified or shut down; its
         * proxy, redirect, cookie and authenticator settings are overridden in the derived client.
         *
         * @param client the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder client(OkHttpClient client) {
            this.client = Checks.notNull("client", client);
            return this;
        }

        /**
         * Which addresses may be contacted; default {@link AddressPolicy#publicOnly()}.
         *
         * @param addressPolicy the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder addressPolicy(AddressPolicy addressPolicy) {
            this.addressPolicy = Checks.notNull("addressPolicy", addressPolicy);
            return this;
        }

        /**
         * Timeout for establishing a TCP/TLS connection; default 5 s.
         *
         * @param connectTimeout the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.timeout("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * Longest silence between two reads (or writes); default 10 s.
         *
         * @param readTimeout the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = Checks.timeout("readTimeout", readTimeout);
            return this;
        }

        /**
         * Limit for one attempt: DNS, connects, every redirect hop and the body; default 30 s.
         *
         * @param callTimeout the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = Checks.timeout("callTimeout", callTimeout);
            return this;
        }

        /**
         * Largest body accepted, in bytes (1 to {@link #MAX_MAX_BYTES}); default 25 MiB.
         *
         * @param maxBytes the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = Checks.inRange("maxBytes", maxBytes, 1, MAX_MAX_BYTES);
            return this;
        }

        /**
         * Redirects followed per attempt (0 to 20; 0 refuses every redirect); default 5.
         *
         * @param maxRedirects the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder maxRedirects(int maxRedirects) {
            this.maxRedirects = (int) Checks.inRange("maxRedirects", maxRedirects, 0, 20);
            return this;
        }

        /**
         * Attempts per fetch, the first included (1 to 10; 1 disables retries); default 3.
         *
         * @param maxAttempts the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = (int) Checks.inRange("maxAttempts", maxAttempts, 1, 10);
            return this;
        }

        /**
         * Upper bound of the first jittered pause, doubled per retry; default 200 ms.
         *
         * @param initialBackoff the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Checks.timeout("initialBackoff", initialBackoff);
            return this;
        }

        /**
         * Cap of the jittered pause; at least {@link #initialBackoff}; default 5 s.
         *
         * @param maxBackoff the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Checks.timeout("maxBackoff", maxBackoff);
            return this;
        }

        /**
         * Longest {@code Retry-After} that is honoured by waiting; a longer one ends the fetch with
         * its 429/5xx status at once. Zero honours only {@code Retry-After: 0}. Default 10 s.
         *
         * @param maxRetryAfter the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = Checks.nonNegative("maxRetryAfter", maxRetryAfter);
            return this;
        }

        /**
         * The {@code User-Agent} header; printable ASCII; default {@code imagebatch/<version>}.
         *
         * @param userAgent the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder userAgent(String userAgent) {
            Checks.notNull("userAgent", userAgent);
            if (userAgent.isBlank() || !userAgent.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("userAgent must be non-blank printable ASCII, got '"
                        + userAgent.replaceAll("[^\\x20-\\x7e]", "?") + "'");
            }
            this.userAgent = userAgent;
            return this;
        }

        /**
         * Told the outcome of every fetch; default {@link FetchListener#NONE}.
         *
         * @param listener the new value; see above for the allowed range
         * @return this builder
         * @throws IllegalArgumentException if the value is null or out of range
         */
        public Builder listener(FetchListener listener) {
            this.listener = Checks.notNull("listener", listener);
            return this;
        }

        /**
         * Creates the fetcher. It owns worker threads (and its client, unless one was given):
         * {@link OkHttpImageFetcher#close() close} it when done.
         *
         * @return a new fetcher
         * @throws IllegalArgumentException if {@code maxBackoff} is shorter than {@code initialBackoff}
         */
        public OkHttpImageFetcher build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff (" + maxBackoff
                        + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
            }
            return new OkHttpImageFetcher(this);
        }

        private static String defaultUserAgent() {
            String version = OkHttpImageFetcher.class.getPackage().getImplementationVersion();
            return "imagebatch/" + (version == null ? "dev" : version);
        }
    }
}
