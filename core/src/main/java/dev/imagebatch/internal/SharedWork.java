package dev.imagebatch.internal;

import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.ScaleOutSettings;
import dev.imagebatch.WebhookDelivery;
import dev.imagebatch.csv.CsvRowReader;
import dev.imagebatch.csv.InputCsv;
import dev.imagebatch.spi.ChunkRecord;
import dev.imagebatch.spi.Lease;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.Versioned;
import dev.imagebatch.spi.WorkPlan;
import dev.imagebatch.spi.WorkStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's part in processing requests shared through a {@link WorkStore}: it polls for
 * claimable work, claims chunks and runs them, and finishes requests whose chunks are all done.
 * The protocol (records, conditional writes, failure cases) is described in {@code DESIGN.md}.
 *
 * <p>Claims: a chunk without a record is claimed by creating it (create-if-absent); a chunk whose
 * lease expired more than {@code maxClockSkew} ago by this instance's clock, by replacing it at the
 * version read (the next generation). The finisher is chosen by the plan write that adds the last
 * done chunk; a finisher whose lease expired is replaced the same way as a chunk holder.
 */
public final class SharedWork {

    private static final Logger LOG = LoggerFactory.getLogger(SharedWork.class);
    /** Conflicting plan writes tolerated when recording a done chunk before leaving it to the polling. */
    private static final int PLAN_ATTEMPTS = 50;
    /** The error of a request whose submission stopped before its record was created. */
    public static final String ABANDONED = "the submission did not complete";

    private final EngineContext ctx;
    private final WorkStore work;
    private final ScaleOutSettings scale;
    private final ExecutorService runner;
    private final ScheduledExecutorService timer;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Void>> ends = new ConcurrentHashMap<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    /** Open requests without a record, and when this instance first saw each so. */
    private final Map<String, Instant> unrecordedSince = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> polling;

    /**
     * @param runner runs chunks and finishers (one thread each while they work)
     * @param timer  runs the polling and the lease renewals; short tasks only
     */
    public SharedWork(EngineContext ctx, WorkStore work, ScaleOutSettings scale, ExecutorService runner,
                      ScheduledExecutorService timer) {
        this.ctx = ctx;
        this.work = work;
        this.scale = scale;
        this.runner = runner;
        this.timer = timer;
    }

    /**
     * Marks a request being submitted open, before its record is created: from then on polling
     * instances find it, whatever step of the submission fails.
     */
    public void open(String requestId) throws IOException {
        work.markOpen(requestId);
    }

    /**
     * Creates the shared plan of a newly accepted request, so that any instance may take its chunks.
     * A plan that exists already was created by a polling instance from the stored input (the same
     * rows; its chunk size wins).
     */
    public void plan(String requestId, int rows) throws IOException {
        if (work.createPlan(WorkPlan.of(requestId, rows, scale.chunkRows())).isEmpty()) {
            LOG.debug("Request {} was planned by a polling instance already", requestId);
        }
    }

    /** Starts looking for work every {@code pollInterval}, if this instance takes work. */
    public void start() {
        if (scale.takesWork()) {
            polling = timer.scheduleWithFixedDelay(this::pollQuietly, 0, scale.pollInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stops claiming; chunks in progress write what they have and release their leases. Waits for
     * them until {@code deadlineNanos} ({@link System#nanoTime()}).
     */
    public void stop(long deadlineNanos) {
        stopRequested.set(true);
        ScheduledFuture<?> p = polling;
        if (p != null) {
            p.cancel(false);
        }
        for (CompletableFuture<Void> end : List.copyOf(ends.values())) {
            try {
                end.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // What did not finish in time keeps its lease until it expires; another instance takes over.
            }
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Looking for shared work failed (trying again in {}): {}", scale.pollInterval(), e.toString());
        }
    }

    /**
     * One round: for each open request, claim its finisher or chunks while this instance has room.
     * A request whose submission stopped part way is repaired first: without a plan, the plan is
     * created from the stored input; without a record for {@code abandonedSubmitAfter}, a
     * {@code FAILED} record is created, and the request then closes like any terminal one.
     */
    void poll() throws IOException, InterruptedException {
        List<String> open = new ArrayList<>(work.openRequests());
        Collections.shuffle(open);
        unrecordedSince.keySet().retainAll(open);
        for (String requestId : open) {
            if (stopRequested.get() || running.size() >= scale.maxChunks()) {
                return;
            }
            Optional<RequestRecord> record = ctx.store().find(requestId);
            if (record.isEmpty()) {
                recordIfAbandoned(requestId);
                continue;
            }
            unrecordedSince.remove(requestId);
            Optional<Versioned<WorkPlan>> plan = work.findPlan(requestId);
            if (plan.isEmpty()) {
                plan = planFromInput(requestId);
            }
            if (plan.isEmpty() || plan.get().value().finished()) {
                continue;
            }
            if (tryFinisher(plan.get(), record.get())) {
                continue;
            }
            if (record.get().status().state() == RequestState.PROCESSING) {
                claimChunks(plan.get());
            }
        }
    }

    // ---- repairing submissions that stopped part way

    /**
     * The plan of a request whose submitter stopped after creating its record: the rows are counted
     * in the stored input, and the chunk size is this instance's. Racing instances agree because the
     * plan is created only if absent, and everyone then reads the one stored.
     */
    private Optional<Versioned<WorkPlan>> planFromInput(String requestId) throws IOException {
        int rows = 0;
        try (InputStream in = RequestInput.open(ctx.publisher(), requestId); CsvRowReader reader = InputCsv.open(in)) {
            while (reader.hasNext()) {
                reader.next();
                rows++;
            }
        }
        if (work.createPlan(WorkPlan.of(requestId, rows, scale.chunkRows())).isPresent()) {
            LOG.info("Planned request {} ({} rows), whose submission stopped before its plan", requestId, rows);
        }
        return work.findPlan(requestId);
    }

    /**
     * An open marker without a request record: a submission in progress, or one that died between
     * the two writes. Once this instance has seen it so for {@code abandonedSubmitAfter} (by its own
     * clock, so no clocks are compared), it creates the record as {@code FAILED}. Creation is
     * create-if-absent, so a submitter that was only slow fails to create its record afterwards and
     * reports the submission failed; one request never gets two records.
     */
    private void recordIfAbandoned(String requestId) throws IOException {
        Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        Instant since = unrecordedSince.computeIfAbsent(requestId, id -> now);
        if (now.isBefore(since.plus(scale.abandonedSubmitAfter()))) {
            return;
        }
        RequestStatus failed = RequestStatus.accepted(requestId, 0, now, WebhookDelivery.NOT_REQUESTED)
                .finished(RequestState.FAILED, Optional.empty(), Optional.of(ABANDONED), now);
        try {
            ctx.store().create(new RequestRecord(failed, Optional.empty()));
            LOG.info("Request {} was marked open but never recorded; recorded it failed", requestId);
        } catch (IllegalStateException e) {
            // Its submitter created the record meanwhile: the request goes on as usual.
        }
        unrecordedSince.remove(requestId);
    }

    // ---- chunks

    private void claimChunks(Versioned<WorkPlan> versioned) throws IOException, InterruptedException {
        WorkPlan plan = versioned.value();
        int count = plan.chunkCount();
        int offset = count == 0 ? 0 : ThreadLocalRandom.current().nextInt(count); // instances start at different chunks
        for (int n = 0; n < count; n++) {
            int chunk = (offset + n) % count;
            if (plan.doneChunks().contains(chunk) || running.contains(taskKey(plan.requestId(), chunk))) {
                continue;
            }
            if (stopRequested.get() || running.size() >= scale.maxChunks()) {
                return;
            }
            Optional<Versioned<ChunkRecord>> existing = work.findChunk(plan.requestId(), chunk);
            if (existing.isPresent() && existing.get().value().done()) {
                // Its holder died between writing it done and adding it to the plan.
                markChunkDone(plan.requestId(), chunk);
                continue;
            }
            Optional<Versioned<ChunkRecord>> claimed = claim(plan.requestId(), chunk, existing);
            claimed.ifPresent(c -> startChunk(plan, c));
        }
    }

    private Optional<Versioned<ChunkRecord>> claim(String requestId, int chunk, Optional<Versioned<ChunkRecord>> existing)
            throws IOException {
        Instant now = ctx.clock().instant();
        Instant until = now.plus(scale.leaseDuration()).truncatedTo(ChronoUnit.MILLIS);
        ChunkRecord next;
        Optional<String> version;
        if (existing.isEmpty()) {
            next = ChunkRecord.claimed(requestId, chunk, new Lease(scale.instanceId(), 1, until));
            version = work.createChunk(next);
        } else {
            ChunkRecord current = existing.get().value();
            if (!expired(current.lease(), now)) {
                return Optional.empty();
            }
            next = current.withLease(current.lease().takenOverBy(scale.instanceId(), until));
            version = work.replaceChunk(next, existing.get().version());
        }
        if (version.isEmpty()) {
            return Optional.empty(); // another instance was faster
        }
        if (next.lease().generation() > 1) {
            LOG.info("Took over chunk {} of request {} (generation {}, {} result(s) already recorded)", chunk, requestId,
                    next.lease().generation(), next.results().size());
        } else {
            LOG.debug("Claimed chunk {} of request {}", chunk, requestId);
        }
        return Optional.of(new Versioned<>(next, version.get()));
    }

    private boolean expired(Lease lease, Instant now) {
        return now.isAfter(lease.until().plus(scale.maxClockSkew()));
    }

    private void startChunk(WorkPlan plan, Versioned<ChunkRecord> claimed) {
        ChunkLease lease = new ChunkLease(ctx, work, scale, claimed);
        int chunk = claimed.value().chunk();
        String key = taskKey(plan.requestId(), chunk);
        launch(key, () -> {
            ScheduledFuture<?> renewal = renewEvery(() -> {
                try {
                    lease.renew();
                } catch (ChunkLease.Lost e) {
                    throw new IllegalStateException(e); // ends the renewals; the run sees lease.lost()
                } catch (IOException e) {
                    LOG.warn("Could not renew the lease of chunk {} of request {}: {}", chunk, plan.requestId(), e.toString());
                }
            });
            try {
                ChunkRun.End end = new ChunkRun(ctx, plan, lease, stopRequested).run();
                LOG.debug("Chunk {} of request {}: {}", chunk, plan.requestId(), end);
                if (end == ChunkRun.End.DONE) {
                    renewal.cancel(false);
                    markChunkDone(plan.requestId(), chunk);
                }
            } finally {
                renewal.cancel(false);
            }
        });
    }

    /**
     * Adds {@code chunk} to the plan's done chunks; the write that makes the set complete also names
     * this instance the finisher, and this instance then finishes the request. Other instances
     * updating the plan at the same time make it retry, with a short random pause; after
     * {@link #PLAN_ATTEMPTS} conflicts it leaves the chunk to the polling instances, which add done
     * chunks missing from the plan.
     */
    private void markChunkDone(String requestId, int chunk) throws IOException, InterruptedException {
        for (int attempt = 1; attempt <= PLAN_ATTEMPTS; attempt++) {
            Optional<Versioned<WorkPlan>> current = work.findPlan(requestId);
            if (current.isEmpty() || current.get().value().doneChunks().contains(chunk)) {
                return;
            }
            WorkPlan next = current.get().value().withChunkDone(chunk);
            boolean finisher = next.allChunksDone() && next.finisher().isEmpty();
            if (finisher) {
                next = next.withFinisher(new Lease(scale.instanceId(), 1, leaseEnd()));
            }
            Optional<String> version = work.replacePlan(next, current.get().version());
            if (version.isPresent()) {
                if (finisher) {
                    LOG.debug("Chunk {} was the last of request {}; finishing it", chunk, requestId);
                    startFinisher(new Versioned<>(next, version.get()));
                }
                return;
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 20L * Math.min(attempt, 10)));
        }
        LOG.info("Chunk {} of request {} is done but the plan stayed contended; polling instances will record it",
                chunk, requestId);
    }

    // ---- finishing

    /**
     * Claims the finisher role if it is free: every chunk is done (or the request ended otherwise,
     * e.g. cancelled) and nobody holds the role, or its holder's lease expired.
     */
    private boolean tryFinisher(Versioned<WorkPlan> versioned, RequestRecord record) throws IOException {
        WorkPlan plan = versioned.value();
        if (running.contains(taskKey(plan.requestId(), -1))) {
            return true;
        }
        Instant now = ctx.clock().instant();
        Lease lease;
        if (plan.finisher().isPresent()) {
            if (!expired(plan.finisher().get(), now)) {
                return true;
            }
            lease = plan.finisher().get().takenOverBy(scale.instanceId(), leaseEnd());
        } else if (plan.allChunksDone() || record.status().state().isTerminal()) {
            lease = new Lease(scale.instanceId(), 1, leaseEnd());
        } else {
            return false;
        }
        WorkPlan next = plan.withFinisher(lease);
        Optional<String> version = work.replacePlan(next, versioned.version());
        if (version.isPresent()) {
            LOG.info("Claimed finishing request {} (generation {})", plan.requestId(), lease.generation());
            startFinisher(new Versioned<>(next, version.get()));
        }
        return true;
    }

    private void startFinisher(Versioned<WorkPlan> claimed) {
        String requestId = claimed.value().requestId();
        FinisherLease lease = new FinisherLease(claimed);
        launch(taskKey(requestId, -1), () -> {
            ScheduledFuture<?> renewal = renewEvery(() -> {
                try {
                    lease.renew();
                } catch (IOException e) {
                    LOG.warn("Could not renew finishing request {}: {}", requestId, e.toString());
                }
            });
            try {
                finish(requestId, lease);
            } finally {
                renewal.cancel(false);
            }
        });
    }

    /**
     * Assembles and publishes the output CSV from the chunk records (if the request is still
     * processing), records the terminal state, sends the webhook, and marks the plan finished.
     * Each step is checked against the lease first, so a finisher that lost the role stops.
     */
    private void finish(String requestId, FinisherLease lease) throws IOException, InterruptedException {
        RequestRecord record = ctx.store().find(requestId)
                .orElseThrow(() -> new IOException("request " + requestId + " vanished from the status store"));
        if (record.status().state() == RequestState.PROCESSING) {
            WorkPlan plan = lease.plan();
            Map<Long, ImageResult> results = new HashMap<>();
            for (int chunk = 0; chunk < plan.chunkCount(); chunk++) {
                ChunkRecord done = work.findChunk(requestId, chunk).map(Versioned::value)
                        .filter(ChunkRecord::done)
                        .orElseThrow(() -> new IOException("a chunk of request " + requestId + " is not done"));
                done.results().forEach(r -> results.put(Positions.of(r.row(), r.index()), r));
            }
            // The chunk records are the truth; copy them whole so images() matches the output CSV.
            ctx.store().putImages(requestId, List.copyOf(results.values()));
            if (!lease.renew()) {
                return;
            }
            OutputAssembler.Assembled output = new OutputAssembler(ctx.store(), ctx.publisher(),
                    ctx.settings().neutralizeFormulas()).assemble(requestId, results);
            if (!lease.renew()) {
                return;
            }
            RequestState state = output.failed() == 0 ? RequestState.COMPLETED : RequestState.COMPLETED_WITH_ERRORS;
            record = finishRecord(requestId, state, output.csvUrl(), output.succeeded(), output.failed());
            ctx.listener().onRequestFinished(record.status());
            LOG.debug("Request {} finished: {}", requestId, record.status().state());
        }
        if (record.status().webhook().state() == WebhookDelivery.State.PENDING) {
            CompletableFuture<Void> delivery = ctx.webhooks().deliver(requestId);
            while (!delivery.isDone()) {
                if (stopRequested.get() || lease.lost()) {
                    return; // the webhook stays PENDING; the next finisher sends it
                }
                try {
                    delivery.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                    // keep waiting while the lease holds
                }
            }
        }
        lease.finished();
    }

    private RequestRecord finishRecord(String requestId, RequestState state, URI csvUrl, int succeeded, int failed)
            throws IOException {
        Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        return ctx.store().update(requestId, r -> {
            if (r.status().state().isTerminal()) {
                return r; // cancelled meanwhile, or finished by an earlier finisher
            }
            RequestStatus done = r.status().withCounts(succeeded, failed, now)
                    .finished(state, Optional.of(csvUrl), Optional.empty(), now);
            return r.withStatus(done);
        });
    }

    /** This instance's hold on finishing one request: the plan as last written. */
    private final class FinisherLease {
        private Versioned<WorkPlan> current;
        private boolean lost;

        FinisherLease(Versioned<WorkPlan> claimed) {
            current = claimed;
        }

        synchronized WorkPlan plan() {
            return current.value();
        }

        synchronized boolean lost() {
            return lost;
        }

        /** Extends the lease; false (and lost from then on) if the role was taken over. */
        synchronized boolean renew() throws IOException {
            WorkPlan plan = current.value();
            return write(plan.withFinisher(plan.finisher().orElseThrow().renewedUntil(leaseEnd())));
        }

        /** Marks the plan finished: no instance has anything more to do for the request. */
        synchronized void finished() throws IOException {
            write(current.value().asFinished());
        }

        private boolean write(WorkPlan next) throws IOException {
            if (lost) {
                return false;
            }
            Optional<String> version = work.replacePlan(next, current.version());
            if (version.isEmpty()) {
                lost = true;
                LOG.info("Finishing request {} was taken over by another instance", next.requestId());
                return false;
            }
            current = new Versioned<>(next, version.get());
            return true;
        }
    }

    // ---- tasks

    private interface Task {
        void run() throws IOException, InterruptedException;
    }

    private void launch(String key, Task task) {
        if (!running.add(key)) {
            return;
        }
        CompletableFuture<Void> end = new CompletableFuture<>();
        ends.put(key, end);
        try {
            runner.execute(() -> {
                try {
                    task.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Shared work {} failed (another instance takes it over when its lease expires): {}",
                            key, e.toString());
                } finally {
                    running.remove(key);
                    ends.remove(key);
                    end.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            running.remove(key);
            ends.remove(key);
            end.complete(null);
        }
    }

    private ScheduledFuture<?> renewEvery(Runnable renewal) {
        long millis = scale.renewInterval().toMillis();
        return timer.scheduleWithFixedDelay(renewal, millis, millis, TimeUnit.MILLISECONDS);
    }

    private Instant leaseEnd() {
        return ctx.clock().instant().plus(scale.leaseDuration()).truncatedTo(ChronoUnit.MILLIS);
    }

    private static String taskKey(String requestId, int chunk) {
        return chunk < 0 ? requestId + "/finish" : requestId + "/" + chunk;
    }
}
