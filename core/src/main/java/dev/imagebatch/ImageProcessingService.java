package dev.imagebatch;

import dev.imagebatch.csv.CsvSummary;
import dev.imagebatch.csv.InputCsv;
import dev.imagebatch.http.GuardedClient;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.image.ImageCodec;
import dev.imagebatch.image.PixelBudget;
import dev.imagebatch.internal.EngineContext;
import dev.imagebatch.internal.ImagePipelineFactory;
import dev.imagebatch.internal.NamedThreads;
import dev.imagebatch.internal.RequestRun;
import dev.imagebatch.internal.SafeListener;
import dev.imagebatch.internal.SharedWork;
import dev.imagebatch.internal.WebhookNotifier;
import dev.imagebatch.spi.ImageFetcher;
import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.spi.WorkStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns CSV files of product image URLs into compressed images and an output CSV, asynchronously.
 *
 * <pre>{@code
 * try (ImageProcessingService service = ImageProcessingService.builder()
 *         .statusStore(new InMemoryStatusStore())
 *         .resultPublisher(new InMemoryResultPublisher())
 *         .build()) {
 *     String id = service.submit(Path.of("products.csv"));      // validates, then returns at once
 *     RequestStatus done = service.await(id).join();           // or poll service.status(id)
 *     System.out.println(done.outputCsvUrl().orElseThrow());
 * }
 * }</pre>
 *
 * <p><b>Thread-safety.</b> Every method may be called from any thread at any time. Work runs on
 * the service's own threads (or the executors given to the builder).
 *
 * <p><b>Lifecycle.</b> {@link #submit} validates the whole file, persists its input and a
 * {@link RequestState#PROCESSING} record, and returns the request id before any image work.
 * {@link #close()} stops intake, lets images in flight finish within
 * {@link ProcessingSettings#shutdownTimeout()}, leaves unfinished requests {@code PROCESSING} in the
 * store (a later {@link #resumeUnfinished()} finishes them), and shuts down only the threads and
 * HTTP client the service created itself.
 *
 * <p><b>Several instances.</b> With a {@link Builder#workStore WorkStore} (and status store and
 * publisher shared by every instance, e.g. on one S3 bucket), a submitted request is split into
 * chunks of rows that any instance claims under a lease, a dead instance's chunks are taken over,
 * and exactly one instance finishes each request; see {@link ScaleOutSettings} and {@code DESIGN.md}.
 */
public final class ImageProcessingService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageProcessingService.class);

    private final StatusStore store;
    private final ResultPublisher publisher;
    private final ProcessingSettings settings;
    private final WebhookSettings webhookSettings;
    private final Clock clock;
    private final SafeListener listener;
    private final EngineContext context;
    private final ExecutorService coordinator;
    private final List<ExecutorService> ownedExecutors = new ArrayList<>();
    private final List<AutoCloseable> ownedResources = new ArrayList<>();
    private final Map<String, RequestRun> runs = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final Map<String, CompletableFuture<RequestStatus>> waiters = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private final Optional<SharedWork> shared;
    private final Duration statusPollInterval;
    private boolean closed;

    private ImageProcessingService(Builder b) {
        store = Objects.requireNonNull(b.statusStore, "statusStore is required");
        publisher = Objects.requireNonNull(b.resultPublisher, "resultPublisher is required");
        settings = b.settings != null ? b.settings : ProcessingSettings.defaults();
        webhookSettings = b.webhook != null ? b.webhook : WebhookSettings.defaults();
        clock = b.clock != null ? b.clock : Clock.systemUTC();
        listener = new SafeListener(b.listener != null ? b.listener : ProcessingListener.NONE);

        ImageFetcher fetcher = b.imageFetcher;
        if (fetcher == null) {
            OkHttpImageFetcher created = OkHttpImageFetcher.builder().build();
            ownedResources.add(created);
            fetcher = created;
        }
        Executor io = b.fetchExecutor != null ? b.fetchExecutor
                : own(Executors.newFixedThreadPool(settings.fetchConcurrency(), new NamedThreads("fetch")));
        Executor cpu = b.workerExecutor != null ? b.workerExecutor
                : own(Executors.newFixedThreadPool(settings.workers(), new NamedThreads("worker")));
        Executor publishing = b.publishExecutor != null ? b.publishExecutor
                : own(Executors.newFixedThreadPool(Math.max(2, settings.workers()), new NamedThreads("publish")));
        coordinator = own(Executors.newCachedThreadPool(new NamedThreads("request")));
        ScheduledThreadPoolExecutor webhookScheduler = new ScheduledThreadPoolExecutor(2, new NamedThreads("webhook"));
        webhookScheduler.setRemoveOnCancelPolicy(true);
        own(webhookScheduler);
        OkHttpClient webhookClient = GuardedClient.create(new OkHttpClient(), webhookSettings.addressPolicy(),
                webhookSettings.timeout(), webhookSettings.timeout(), webhookSettings.timeout());
        ownedResources.add(() -> {
            webhookClient.dispatcher().executorService().shutdown();
            webhookClient.connectionPool().evictAll();
        });

        ImageCodec codec = new ImageCodec(settings.imageSettings(), PixelBudget.of(settings.pixelBudget()));
        WebhookNotifier webhooks = new WebhookNotifier(webhookSettings, webhookClient, store, clock,
                webhookScheduler, listener);
        context = new EngineContext(store, publisher, new ImagePipelineFactory(fetcher, codec, publisher, io, cpu, publishing),
                settings, clock, listener, webhooks, new Semaphore(EngineContext.maxImagesInFlight(settings)));
        if (b.workStore != null) {
            ScaleOutSettings scale = b.scaleOut != null ? b.scaleOut : ScaleOutSettings.defaults();
            ScheduledThreadPoolExecutor leaseTimer = new ScheduledThreadPoolExecutor(2, new NamedThreads("lease"));
            leaseTimer.setRemoveOnCancelPolicy(true);
            own(leaseTimer);
            SharedWork work = new SharedWork(context, b.workStore, scale, coordinator, leaseTimer);
            work.start();
            shared = Optional.of(work);
            statusPollInterval = scale.pollInterval();
        } else {
            shared = Optional.empty();
            statusPollInterval = null;
        }
    }

    private <E extends ExecutorService> E own(E executor) {
        ownedExecutors.add(executor);
        return executor;
    }

    /** A builder; {@link Builder#statusStore} and {@link Builder#resultPublisher} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Same as {@link #submit(InputStream, SubmitOptions)} with {@link SubmitOptions#defaults()}. */
    public String submit(InputStream csv) throws InvalidCsvException, IOException {
        return submit(csv, SubmitOptions.defaults());
    }

    /** Same as {@link #submit(InputStream, SubmitOptions)} reading the file at {@code csv}. */
    public String submit(Path csv) throws InvalidCsvException, IOException {
        return submit(csv, SubmitOptions.defaults());
    }

    /** Same as {@link #submit(InputStream, SubmitOptions)} reading the file at {@code csv}. */
    public String submit(Path csv, SubmitOptions options) throws InvalidCsvException, IOException {
        try (InputStream in = Files.newInputStream(csv)) {
            return submit(in, options);
        }
    }

    /**
     * Validates a CSV file and, if it is valid, accepts it for processing.
     *
     * <p>The whole file is read (up to {@link ProcessingSettings#maxCsvBytes()}) and checked before
     * anything is stored. Then the input is persisted, a {@link RequestState#PROCESSING} record is
     * created and the request id is returned; image work happens afterwards on other threads. The
     * stream is read to its end but not closed.
     *
     * @return the new request id (a UUID)
     * @throws InvalidCsvException   listing every problem of the file; nothing was stored
     * @throws IOException           if reading the stream or storing the input or record failed;
     *                               the request does not exist (an orphan input object may remain;
     *                               with a work store, a request marked open but never recorded is
     *                               recorded {@code FAILED} by a polling instance later). With a work
     *                               store, a failure to write the plan is not thrown: the request is
     *                               stored, and a polling instance plans it.
     * @throws IllegalStateException      if the service is closed
     * @throws RejectedExecutionException if {@link ProcessingSettings#maxActiveRequests()} requests are
     *                                    already processing in this service; nothing was read or stored,
     *                                    try again later (the examples' {@code serve} answers 503). Not
     *                                    with a work store, where requests run on any instance.
     */
    public String submit(InputStream csv, SubmitOptions options) throws InvalidCsvException, IOException {
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        if (shared.isPresent()) {
            return accept(csv, options); // the request runs wherever its chunks are claimed
        }
        int admittedNow = admitted.getAndUpdate(n -> n < settings.maxActiveRequests() ? n + 1 : n);
        if (admittedNow >= settings.maxActiveRequests()) {
            throw new RejectedExecutionException("too many requests in progress (at most "
                    + settings.maxActiveRequests() + "); try again when one has finished");
        }
        boolean started = false;
        try {
            String id = accept(csv, options);
            started = true;
            return id;
        } finally {
            if (!started) {
                admitted.decrementAndGet();
            }
        }
    }

    /** Validates, persists and starts a submission that has been admitted. */
    private String accept(InputStream csv, SubmitOptions options) throws InvalidCsvException, IOException {
        byte[] bytes = csv.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxCsvBytes() + 1));
        if (bytes.length > settings.maxCsvBytes()) {
            throw new InvalidCsvException(List.of(new CsvProblem(0, "",
                    "the file is larger than the limit of " + settings.maxCsvBytes() + " bytes")));
        }
        CsvSummary summary = InputCsv.validate(bytes, settings.csvLimits());
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Optional<java.net.URI> webhookUrl = options.webhookUrl().or(webhookSettings::defaultUrl);
        publisher.publish(ObjectKeys.inputCsv(id), ObjectContent.ofBytes(bytes, "text/csv; charset=utf-8"));
        RequestStatus status = RequestStatus.accepted(id, Math.toIntExact(summary.urlCount()), now,
                webhookUrl.isPresent() ? WebhookDelivery.PENDING : WebhookDelivery.NOT_REQUESTED);
        if (shared.isPresent()) {
            // Marked open before the record exists, so that polling instances find the request
            // whatever step below fails (see DESIGN.md, "Submit").
            shared.get().open(id);
            createSharedRecord(new RequestRecord(status, webhookUrl));
        } else {
            store.create(new RequestRecord(status, webhookUrl));
        }
        LOG.debug("Accepted request {}: {} rows, {} images", id, summary.rowCount(), summary.urlCount());
        if (shared.isPresent()) {
            planShared(id, summary.rowCount());
        } else {
            start(id, true);
        }
        return id;
    }

    /**
     * Creates the record of a shared request. It exists already only if this submission was so slow
     * that a polling instance gave it up as abandoned and recorded it failed.
     */
    private void createSharedRecord(RequestRecord record) throws IOException {
        try {
            store.create(record);
        } catch (IllegalStateException e) {
            throw new IOException("request " + record.status().requestId()
                    + " was given up as abandoned before its record was stored; submit again", e);
        }
    }

    /**
     * Makes an accepted request's chunks claimable. The request is recorded and marked open already,
     * so if this fails a polling instance creates the plan from the stored input instead.
     */
    private void planShared(String id, int rows) {
        try {
            shared.orElseThrow().plan(id, rows);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not plan request {} (a polling instance plans it from the stored input): {}", id, e.toString());
        }
    }

    /**
     * The current status of a request, read from the status store (so any instance sharing the
     * store answers for any request).
     *
     * @return the status, or empty for an unknown id
     * @throws IOException if the store could not be read
     */
    public Optional<RequestStatus> status(String requestId) throws IOException {
        return store.find(Objects.requireNonNull(requestId, "requestId")).map(RequestRecord::status);
    }

    /**
     * The per-image results recorded so far, ordered by row then index. Results are written in
     * batches ({@link ProcessingSettings#progressBatchSize()}), so a running request may lag a little.
     *
     * @return the results; empty for an unknown id
     * @throws IOException if the store could not be read
     */
    public List<ImageResult> images(String requestId) throws IOException {
        return store.images(Objects.requireNonNull(requestId, "requestId"));
    }

    /**
     * A future that completes with the request's terminal status. It completes at once for a
     * finished request; for a request that is {@code PROCESSING} but not running in this service
     * (left by an earlier process) it completes once {@link #resumeUnfinished()} has finished it.
     * It completes exceptionally with {@link IllegalArgumentException} for an unknown id, with
     * {@link IOException} if the store cannot be read, and with {@link IllegalStateException} if the
     * service closes before the request finishes. Cancelling the returned future does not cancel the
     * request (use {@link #cancel(String)}).
     */
    public CompletableFuture<RequestStatus> await(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        CompletableFuture<RequestStatus> waiter = waiters.computeIfAbsent(requestId, id -> new CompletableFuture<>());
        try {
            Optional<RequestRecord> record = store.find(requestId);
            if (record.isEmpty()) {
                waiters.remove(requestId, waiter);
                return CompletableFuture.failedFuture(new IllegalArgumentException("no request " + requestId));
            }
            if (record.get().status().state().isTerminal() && !runs.containsKey(requestId)) {
                waiters.remove(requestId, waiter);
                return CompletableFuture.completedFuture(record.get().status());
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (shared.isPresent()) {
            watch(requestId);
        }
        synchronized (lifecycle) {
            if (closed) {
                waiter.completeExceptionally(new IllegalStateException("the service is closed"));
            }
        }
        return waiter.copy();
    }

    /**
     * Cancels a request: images not yet started are recorded as {@link ErrorCode#CANCELLED}, images
     * in flight finish, no output CSV is published, and the state becomes
     * {@link RequestState#CANCELLED}. A request that is {@code PROCESSING} but not running here is
     * marked cancelled in the store directly.
     *
     * @return {@code true} if the request was processing and is now being cancelled
     * @throws IOException if the store could not be read or written
     */
    public boolean cancel(String requestId) throws IOException {
        if (shared.isPresent()) {
            return cancelShared(requestId);
        }
        RequestRun run = runs.get(Objects.requireNonNull(requestId, "requestId"));
        if (run != null) {
            run.cancel();
            return true;
        }
        Optional<RequestRecord> record = store.find(requestId);
        if (record.isEmpty() || record.get().status().state().isTerminal()) {
            return false;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        RequestRecord updated = store.update(requestId, r -> r.status().state().isTerminal() ? r
                : r.withStatus(r.status().finished(RequestState.CANCELLED, Optional.empty(), Optional.empty(), now)));
        completeWaiter(requestId, updated.status());
        context.webhooks().deliver(requestId);
        return updated.status().state() == RequestState.CANCELLED;
    }

    /**
     * With shared work: marks the request cancelled in the store; instances start none of its
     * chunks from then on (chunks already running complete), and the instance that finishes the
     * request sends the webhook.
     */
    private boolean cancelShared(String requestId) throws IOException {
        Optional<RequestRecord> record = store.find(requestId);
        if (record.isEmpty() || record.get().status().state().isTerminal()) {
            return false;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        RequestRecord updated = store.update(requestId, r -> r.status().state().isTerminal() ? r
                : r.withStatus(r.status().finished(RequestState.CANCELLED, Optional.empty(), Optional.empty(), now)));
        completeWaiter(requestId, updated.status());
        return updated.status().state() == RequestState.CANCELLED;
    }

    /**
     * Starts every request the store lists as {@code PROCESSING} that is not already running in this
     * service: after a restart, this finishes what the previous process left, skipping images that
     * already have a result. Requests that finished but whose webhook is still {@code PENDING} get
     * their webhook sent (again).
     *
     * <p>With shared work ({@link Builder#workStore}) this does nothing and returns an empty list:
     * unfinished requests are taken over through their expired leases instead.
     *
     * @return the ids of the requests started (not those whose webhook alone is sent)
     * @throws IOException           if the store could not be read
     * @throws IllegalStateException if the service is closed
     */
    public List<String> resumeUnfinished() throws IOException {
        ensureOpen();
        if (shared.isPresent()) {
            return List.of();
        }
        List<String> started = new ArrayList<>();
        for (String id : store.unfinished()) {
            Optional<RequestRecord> record = store.find(id);
            if (record.isEmpty() || runs.containsKey(id)) {
                continue;
            }
            if (record.get().status().state() == RequestState.PROCESSING) {
                if (start(id, false)) {
                    started.add(id);
                }
            } else {
                // Finished, but its webhook was never confirmed (the process died, or closed, first).
                context.webhooks().deliver(id);
            }
        }
        if (!started.isEmpty()) {
            LOG.debug("Resumed {} unfinished request(s)", started.size());
        }
        return started;
    }

    /** Starts a run; an admitted one (from submit) frees its admission when it ends. */
    private boolean start(String requestId, boolean admittedBySubmit) {
        RequestRun run = new RequestRun(context, requestId);
        synchronized (lifecycle) {
            ensureOpen();
            if (runs.putIfAbsent(requestId, run) != null) {
                return false;
            }
            try {
                coordinator.execute(run);
            } catch (RejectedExecutionException e) {
                runs.remove(requestId);
                throw new IllegalStateException("the service is closed", e);
            }
        }
        run.completion().whenComplete((status, failure) -> {
            runs.remove(requestId, run);
            if (admittedBySubmit) {
                admitted.decrementAndGet();
            }
            if (failure == null) {
                completeWaiter(requestId, status);
            } else {
                CompletableFuture<RequestStatus> waiter = waiters.remove(requestId);
                if (waiter != null) {
                    waiter.completeExceptionally(failure);
                }
            }
        });
        return true;
    }

    /**
     * With shared work, the request may finish on any instance: polls the store until it is
     * terminal and completes the waiter then.
     */
    private void watch(String requestId) {
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (!waiters.containsKey(requestId)) {
                    return;
                }
                try {
                    Optional<RequestStatus> status = status(requestId);
                    if (status.isPresent() && status.get().state().isTerminal()) {
                        completeWaiter(requestId, status.get());
                        return;
                    }
                } catch (IOException e) {
                    LOG.debug("Could not read request {} while waiting for it: {}", requestId, e.toString());
                }
                try {
                    CompletableFuture.runAsync(this, CompletableFuture.delayedExecutor(
                            statusPollInterval.toMillis(), TimeUnit.MILLISECONDS, coordinator));
                } catch (RejectedExecutionException closed) {
                    // close() fails the waiter
                }
            }
        };
        try {
            coordinator.execute(check);
        } catch (RejectedExecutionException e) {
            // closed: close() fails the waiter
        }
    }

    private void completeWaiter(String requestId, RequestStatus status) {
        CompletableFuture<RequestStatus> waiter = waiters.remove(requestId);
        if (waiter != null) {
            waiter.complete(status);
        }
    }

    private void ensureOpen() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the service is closed");
            }
        }
    }

    /**
     * Stops intake, lets images in flight finish (at most {@link ProcessingSettings#shutdownTimeout()}),
     * and releases the threads and HTTP clients the service created. Requests not finished stay
     * {@code PROCESSING} in the store, to be resumed by a later service; webhook retries still
     * scheduled are dropped (their status stays {@code PENDING}, and a later {@link #resumeUnfinished()}
     * sends them). Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<RequestRun> active = new ArrayList<>(runs.values());
        active.forEach(RequestRun::stop);
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        shared.ifPresent(work -> work.stop(deadline));
        for (RequestRun run : active) {
            try {
                run.completion().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception ignored) {
                // A run that stopped or failed has recorded what it could; nothing more to do here.
            }
        }
        for (ExecutorService executor : ownedExecutors) {
            executor.shutdownNow();
        }
        for (ExecutorService executor : ownedExecutors) {
            try {
                executor.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (AutoCloseable resource : ownedResources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Could not release a resource at close: {}", e.toString());
            }
        }
        waiters.forEach((id, waiter) -> waiter.completeExceptionally(new IllegalStateException(
                "the service closed before request " + id + " finished; it can be resumed")));
        waiters.clear();
    }

    /**
     * Wires an {@link ImageProcessingService}. Each setter may be called once (a second call is an
     * {@link IllegalStateException}); {@link #build()} checks that the required parts are set.
     */
    public static final class Builder {
        private StatusStore statusStore;
        private ResultPublisher resultPublisher;
        private ImageFetcher imageFetcher;
        private ProcessingSettings settings;
        private WebhookSettings webhook;
        private ProcessingListener listener;
        private Executor fetchExecutor;
        private Executor workerExecutor;
        private Executor publishExecutor;
        private Clock clock;
        private WorkStore workStore;
        private ScaleOutSettings scaleOut;

        private Builder() {
        }

        /** Where request records and image results are kept. Required. */
        public Builder statusStore(StatusStore value) {
            statusStore = once("statusStore", statusStore, value);
            return this;
        }

        /** Where processed images, output CSVs and persisted inputs go. Required. */
        public Builder resultPublisher(ResultPublisher value) {
            resultPublisher = once("resultPublisher", resultPublisher, value);
            return this;
        }

        /**
         * How images are downloaded. Default: an {@link OkHttpImageFetcher} with its safe defaults
         * (public addresses only), closed by {@link ImageProcessingService#close()}. A fetcher given
         * here is not closed by the service.
         */
        public Builder imageFetcher(ImageFetcher value) {
            imageFetcher = once("imageFetcher", imageFetcher, value);
            return this;
        }

        /** Concurrency, image output and limits. Default {@link ProcessingSettings#defaults()}. */
        public Builder settings(ProcessingSettings value) {
            settings = once("settings", settings, value);
            return this;
        }

        /** Completion webhooks. Default {@link WebhookSettings#defaults()}. */
        public Builder webhook(WebhookSettings value) {
            webhook = once("webhook", webhook, value);
            return this;
        }

        /** Progress callbacks. Default: none. */
        public Builder listener(ProcessingListener value) {
            listener = once("listener", listener, value);
            return this;
        }

        /**
         * Runs downloads. Default: a fixed pool of
         * {@link ProcessingSettings#fetchConcurrency()} threads owned by the service. An executor given
         * here is not shut down by the service; in-flight work is still bounded by the settings.
         */
        public Builder fetchExecutor(Executor value) {
            fetchExecutor = once("fetchExecutor", fetchExecutor, value);
            return this;
        }

        /**
         * Runs decoding and encoding. Default: a fixed pool of {@link ProcessingSettings#workers()}
         * threads owned by the service. An executor given here is not shut down by the service.
         */
        public Builder workerExecutor(Executor value) {
            workerExecutor = once("workerExecutor", workerExecutor, value);
            return this;
        }

        /**
         * Runs publishing of processed images. Default: a fixed pool of {@code max(2, workers)}
         * threads owned by the service. An executor given here is not shut down by the service.
         */
        public Builder publishExecutor(Executor value) {
            publishExecutor = once("publishExecutor", publishExecutor, value);
            return this;
        }

        /**
         * Shares requests with other instances through {@code value}: a submitted request is split
         * into chunks that any instance using the same stores claims, and this instance claims
         * chunks of any instance's requests (unless {@link ScaleOutSettings#takesWork()} is false).
         * The status store and result publisher must then be shared by all instances as well. See
         * {@code DESIGN.md}. Default: none, every request runs in the service that accepted it.
         */
        public Builder workStore(WorkStore value) {
            workStore = once("workStore", workStore, value);
            return this;
        }

        /** Chunk size, leases and polling of shared work. Default {@link ScaleOutSettings#defaults()}. */
        public Builder scaleOut(ScaleOutSettings value) {
            scaleOut = once("scaleOut", scaleOut, value);
            return this;
        }

        /** The clock for timestamps and webhook signatures. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            clock = once("clock", clock, value);
            return this;
        }

        /**
         * The service.
         *
         * @throws IllegalStateException if the status store or result publisher is missing, or scale-out
         *                               settings were given without a work store
         */
        public ImageProcessingService build() {
            if (scaleOut != null && workStore == null) {
                throw new IllegalStateException("scaleOut settings need a workStore");
            }
            if (statusStore == null || resultPublisher == null) {
                throw new IllegalStateException("statusStore and resultPublisher are required"
                        + (statusStore == null ? "; statusStore is missing" : "")
                        + (resultPublisher == null ? "; resultPublisher is missing" : ""));
            }
            return new ImageProcessingService(this);
        }

        private static <T> T once(String name, T current, T value) {
            Objects.requireNonNull(value, name);
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
            return value;
        }
    }
}
