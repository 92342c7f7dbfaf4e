package dev.imagebatch.s3;

import dev.imagebatch.ImageResult;
import dev.imagebatch.spi.RecordJson;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.StatusStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link StatusStore} that keeps request records and image results as objects in an S3 bucket
 * (Amazon S3 or any S3-compatible store that honours conditional writes), so that several service
 * instances can share it and a restarted one can resume.
 *
 * <pre>{@code
 * StatusStore store = S3StatusStore.builder(s3, "my-bucket").prefix("imagebatch/").build();
 * }</pre>
 *
 * <p><b>Object layout</b> under the prefix {@code P}:
 * <ul>
 *   <li>{@code P status/<requestId>.json}: the request record in {@link RecordJson}'s format,
 *       rewritten whole on every {@link #update};</li>
 *   <li>{@code P status/<requestId>/results/<seq>.jsonl}: one object per {@link #putImages} call
 *       (the engine calls it once per progress batch, see
 *       {@code ProcessingSettings.progressBatchSize}), holding that batch's results as JSON lines
 *       in {@link RecordJson}'s format. {@code <seq>} is a 12-digit zero-padded sequence number, 1
 *       for a request's first batch. Per-image progress therefore costs one small new object (and
 *       one short {@code LIST}) per batch: no object is rewritten as images finish.</li>
 * </ul>
 * {@link #images} lists the batch objects of a request (paginated), reads them in sequence order
 * and merges them, a later batch (and, within a batch, a later line) replacing an earlier result
 * for the same row and index. Batches are never compacted or deleted by this class: reading a
 * request's results costs one {@code LIST} per 1,000 batches and one {@code GET} per batch.
 *
 * <p><b>Concurrency without lost updates.</b> Every write is conditional, so several threads,
 * processes or hosts may share the bucket:
 * <ul>
 *   <li>{@link #create} writes the record with {@code If-None-Match: *}; if the object exists the
 *       server answers 412 and the call throws {@link IllegalStateException};</li>
 *   <li>{@link #update} reads the record and its ETag, applies the change and writes with
 *       {@code If-Match: <etag>}; when another writer got in first (412, or 409 for a racing
 *       conditional write) it reads again and retries, with a short jittered backoff, up to
 *       {@link Builder#maxUpdateAttempts(int)} times;</li>
 *   <li>{@link #putImages} lists the request's batches above the highest number it knows (a
 *       {@code LIST} with {@code start-after}, normally empty) and creates its batch object under
 *       a higher number with {@code If-None-Match: *}; a number another writer took in between is
 *       answered with 412 and the call lists and tries again. So no batch is ever overwritten, and
 *       a batch written after another one completed always gets a higher number, across threads
 *       and processes (S3's listings are strongly consistent).</li>
 * </ul>
 * The server must honour {@code If-Match} and {@code If-None-Match} on {@code PutObject} (Amazon S3
 * does since 2024; check an S3-compatible store before relying on it).
 *
 * <p>{@link #unfinished()} lists {@code P status/} with delimiter {@code /} (paginated), reads every
 * {@code *.json} record and returns the ids of those that still need work, oldest first; a
 * record that cannot be parsed is skipped with a warning. Its cost grows with the number of
 * records kept: hosts expire old records with a bucket lifecycle rule if they need to.
 *
 * <p>Request ids are used in keys, so they must be one segment of {@code [A-Za-z0-9._-]} (the
 * engine's ids are UUIDs): {@link #create} and {@link #putImages} refuse others with
 * {@link IllegalArgumentException}; {@link #find} and {@link #images} answer empty for them, and
 * {@link #update} throws {@link IllegalStateException} as for any unknown id.
 *
 * <p><b>Thread-safety.</b> Safe for concurrent use. <b>Blocking:</b> every method blocks on the
 * network. <b>Ownership:</b> the {@link S3Client} belongs to the host, which configures and closes
 * it; nothing here reads credentials. <b>Failures:</b> SDK exceptions become {@link IOException}s
 * naming {@code s3://<bucket>/<key>} (and so the request id), with the SDK exception as cause; an
 * interrupted call becomes an {@link InterruptedIOException}. A failed write leaves the previous
 * object in place. <b>Nullness:</b> no argument may be {@code null}; no method returns
 * {@code null}.
 */
public final class S3StatusStore implements StatusStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3StatusStore.class);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern BATCH = Pattern.compile("(\\d{12})\\.jsonl");
    private static final String JSON = "application/json";
    private static final String JSON_LINES = "application/x-ndjson";
    private static final int SEQUENCE_CACHE_SIZE = 1024;
    private static final long MAX_SEQUENCE = 999_999_999_999L;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int maxUpdateAttempts;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final S3Objects objects;
    /** Next batch number to try per request, for requests written recently by this instance. */
    private final Map<String, AtomicLong> nextBatch = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AtomicLong> eldest) {
            return size() > SEQUENCE_CACHE_SIZE;
        }
    };

    private S3StatusStore(Builder b) {
        s3 = b.s3;
        bucket = b.bucket;
        prefix = b.prefix;
        maxUpdateAttempts = b.maxUpdateAttempts;
        backoffBase = b.backoffBase;
        backoffMax = b.backoffMax;
        objects = new S3Objects(s3, bucket, b.listPageSize);
    }

    /**
     * A builder for a store in {@code bucket}, reached through {@code s3}.
     *
     * @param s3     the host's client; not closed by the store
     * @param bucket an existing bucket the client may list, read and write
     * @return a builder with no prefix and the default retry settings
     * @throws IllegalArgumentException if the bucket name is blank or contains {@code /}
     */
    public static Builder builder(S3Client s3, String bucket) {
        return new Builder(s3, bucket);
    }

    /**
     * Writes {@code status/<id>.json} unless it exists ({@code If-None-Match: *}).
     *
     * @throws IllegalArgumentException if the request id cannot be used in a key
     * @throws IllegalStateException    if a record with that id exists
     * @throws IOException              if S3 failed; no record was created
     */
    @Override
    public void create(RequestRecord record) throws IOException {
        Objects.requireNonNull(record, "record");
        String id = requireId(record.requestId());
        String key = recordKey(id);
        byte[] json = RecordJson.write(record);
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(JSON).ifNoneMatch("*"),
                        RequestBody.fromBytes(json));
                LOG.debug("Created s3://{}/{}", bucket, key);
                return;
            } catch (SdkException e) {
                int status = S3Errors.status(e);
                if (status == S3Errors.PRECONDITION_FAILED) {
                    throw new IllegalStateException("request " + id + " already exists (s3://" + bucket + "/" + key + ")");
                }
                if (status != S3Errors.CONFLICT || attempt >= maxUpdateAttempts) {
                    throw S3Errors.io("Creating", bucket, key, e);
                }
            }
            backoff(attempt, key);
        }
    }

    /** Reads {@code status/<id>.json}; empty if there is none (or the id cannot be a key). */
    @Override
    public Optional<RequestRecord> find(String requestId) throws IOException {
        Objects.requireNonNull(requestId, "requestId");
        if (!validId(requestId)) {
            return Optional.empty();
        }
        return read(recordKey(requestId)).map(v -> v.record);
    }

    /**
     * Read, change, write with {@code If-Match}; on a conflicting write by someone else, again (see
     * the class description). {@code change} may run several times and must be free of side effects.
     * A change that returns an equal record writes nothing.
     *
     * @throws IllegalStateException    if there is no record for {@code requestId}
     * @throws IllegalArgumentException if {@code change} returns a record with another id
     * @throws IOException              if S3 failed, or other writers won every one of the
     *                                  {@link Builder#maxUpdateAttempts(int)} attempts; the stored
     *                                  record is then whatever they wrote
     */
    @Override
    public RequestRecord update(String requestId, UnaryOperator<RequestRecord> change) throws IOException {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(change, "change");
        if (!validId(requestId)) {
            throw new IllegalStateException("no request " + requestId);
        }
        String key = recordKey(requestId);
        for (int attempt = 1; ; attempt++) {
            Versioned current = read(key).orElseThrow(() -> new IllegalStateException("no request " + requestId));
            RequestRecord next = Objects.requireNonNull(change.apply(current.record), "change returned null");
            if (!next.requestId().equals(requestId)) {
                throw new IllegalArgumentException("an update must keep the request id " + requestId);
            }
            if (next.equals(current.record)) {
                return next;
            }
            byte[] json = RecordJson.write(next);
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(JSON).ifMatch(current.etag),
                        RequestBody.fromBytes(json));
                return next;
            } catch (SdkException e) {
                int status = S3Errors.status(e);
                if (status == S3Errors.NOT_FOUND) {
                    throw new IllegalStateException("no request " + requestId + " (s3://" + bucket + "/" + key + " vanished)");
                }
                if (status != S3Errors.PRECONDITION_FAILED && status != S3Errors.CONFLICT) {
                    throw S3Errors.io("Updating", bucket, key, e);
                }
                if (attempt >= maxUpdateAttempts) {
                    throw new IOException("Updating s3://" + bucket + "/" + key + " failed: other writers changed it "
                            + "during each of " + attempt + " attempts", e);
                }
            }
            backoff(attempt, key);
        }
    }

    /**
     * Writes the results as one new batch object {@code status/<id>/results/<seq>.jsonl}, created
     * with {@code If-None-Match: *} under a number greater than every batch the bucket lists at
     * that moment (see the class description). An empty collection writes nothing. The batch is
     * stored whole or not at all.
     *
     * @throws IllegalArgumentException if the request id cannot be used in a key
     * @throws IOException              if S3 failed; no result of this call was stored, unless the
     *                                  server stored the batch but its answer was lost
     */
    @Override
    public void putImages(String requestId, Collection<ImageResult> results) throws IOException {
        String id = requireId(Objects.requireNonNull(requestId, "requestId"));
        Objects.requireNonNull(results, "results");
        if (results.isEmpty()) {
            return;
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream(results.size() * 160);
        for (ImageResult result : results) {
            lines.writeBytes(RecordJson.write(Objects.requireNonNull(result, "result")));
            lines.write('\n');
        }
        byte[] body = lines.toByteArray();
        AtomicLong counter = counter(id);
        for (int attempt = 1; ; attempt++) {
            // Numbers below the counter were handed out here already; the listing finds any
            // higher ones other writers created since.
            long known = counter.get() - 1;
            long seq = Math.max(counter.getAndIncrement(), highestBatchAfter(id, known) + 1);
            counter.accumulateAndGet(seq + 1, Math::max);
            if (seq > MAX_SEQUENCE) {
                throw new IOException("request " + id + " has too many result batches");
            }
            String key = batchKey(id, seq);
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(JSON_LINES).ifNoneMatch("*"),
                        RequestBody.fromBytes(body));
                LOG.debug("Stored {} image result(s) in s3://{}/{}", results.size(), bucket, key);
                return;
            } catch (SdkException e) {
                int status = S3Errors.status(e);
                if (status != S3Errors.PRECONDITION_FAILED && status != S3Errors.CONFLICT) {
                    throw S3Errors.io("Storing image results in", bucket, key, e);
                }
                if (attempt >= maxUpdateAttempts) {
                    throw new IOException("Storing image results of request " + id + " failed: other writers took "
                            + "each of " + attempt + " batch numbers first", e);
                }
                if (status == S3Errors.CONFLICT) {
                    backoff(attempt, key);
                }
            }
        }
    }

    /**
     * Every result stored for {@code requestId}, merged from its batch objects (later batches win),
     * ordered by row then index; empty when there are none.
     *
     * @throws IOException if S3 failed or a batch object is not in the expected format
     */
    @Override
    public List<ImageResult> images(String requestId) throws IOException {
        Objects.requireNonNull(requestId, "requestId");
        if (!validId(requestId)) {
            return List.of();
        }
        TreeMap<Long, String> batches = listBatches(requestId, null);
        TreeMap<Long, ImageResult> byPosition = new TreeMap<>();
        for (String key : batches.values()) {
            Optional<byte[]> body = readBytes(key);
            if (body.isEmpty()) {
                continue; // removed since the listing (by a lifecycle rule or a host's clean-up)
            }
            for (ImageResult result : parseBatch(key, body.get())) {
                byPosition.put(((long) result.row() << 32) | (result.index() & 0xFFFFFFFFL), result);
            }
        }
        return List.copyOf(byPosition.values());
    }

    /**
     * Ids of every request that still needs work ({@link RequestRecord#needsWork()}: {@code PROCESSING},
     * or finished with its webhook pending), oldest first.
     *
     * @throws IOException if S3 failed
     */
    @Override
    public List<String> unfinished() throws IOException {
        String statusPrefix = prefix + "status/";
        List<RequestRecord> open = new ArrayList<>();
        for (S3Object object : list(statusPrefix, "/", null)) {
            String key = object.key();
            String name = key.substring(statusPrefix.length());
            if (!name.endsWith(".json") || !validId(name.substring(0, name.length() - ".json".length()))) {
                continue;
            }
            Optional<RequestRecord> record;
            try {
                record = read(key).map(v -> v.record);
            } catch (MalformedObject e) {
                LOG.warn("Skipping s3://{}/{}: {}", bucket, key, e.getMessage());
                continue;
            }
            record.filter(RequestRecord::needsWork).ifPresent(open::add);
        }
        open.sort(Comparator.comparing((RequestRecord r) -> r.status().createdAt()).thenComparing(RequestRecord::requestId));
        return open.stream().map(RequestRecord::requestId).toList();
    }

    /** Bucket and prefix. */
    @Override
    public String toString() {
        return "S3StatusStore[bucket=" + bucket + ", prefix=" + prefix + "]";
    }

    // ---- keys

    private String recordKey(String id) {
        return prefix + "status/" + id + ".json";
    }

    private String batchPrefix(String id) {
        return prefix + "status/" + id + "/results/";
    }

    private String batchKey(String id, long seq) {
        return batchPrefix(id) + String.format("%012d", seq) + ".jsonl";
    }

    private static boolean validId(String id) {
        return ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    private static String requireId(String id) {
        if (!validId(id)) {
            throw new IllegalArgumentException("request id must be 1..200 characters of [A-Za-z0-9._-], got '" + id + "'");
        }
        return id;
    }

    // ---- batches

    /** The next batch number this instance would use for {@code id}; at least 1. */
    private AtomicLong counter(String id) {
        synchronized (nextBatch) {
            return nextBatch.computeIfAbsent(id, k -> new AtomicLong(1));
        }
    }

    /** The highest batch number above {@code known} that the bucket lists, or {@code known}. */
    private long highestBatchAfter(String id, long known) throws IOException {
        TreeMap<Long, String> batches = listBatches(id, known > 0 ? batchKey(id, known) : null);
        return batches.isEmpty() ? known : Math.max(known, batches.lastKey());
    }

    /** Batch number to key, for the batches listed after {@code startAfter} (all if null). */
    private TreeMap<Long, String> listBatches(String id, String startAfter) throws IOException {
        String batchPrefix = batchPrefix(id);
        TreeMap<Long, String> batches = new TreeMap<>();
        for (S3Object object : list(batchPrefix, null, startAfter)) {
            Matcher m = BATCH.matcher(object.key().substring(batchPrefix.length()));
            if (m.matches()) {
                batches.put(Long.parseLong(m.group(1)), object.key());
            } else {
                LOG.debug("Ignoring s3://{}/{}: not a result batch", bucket, object.key());
            }
        }
        return batches;
    }

    private List<ImageResult> parseBatch(String key, byte[] body) throws IOException {
        List<ImageResult> results = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                lineNumber++;
                if (i > start) {
                    byte[] line = Arrays.copyOfRange(body, start, i);
                    try {
                        results.add(RecordJson.readImage(line));
                    } catch (IOException e) {
                        throw new IOException("s3://" + bucket + "/" + key + " line " + lineNumber + ": " + e.getMessage(), e);
                    }
                }
                start = i + 1;
            }
        }
        return results;
    }

    // ---- S3 calls

    private List<S3Object> list(String keyPrefix, String delimiter, String startAfter) throws IOException {
        return objects.list(keyPrefix, delimiter, startAfter);
    }

    private Optional<byte[]> readBytes(String key) throws IOException {
        return objects.get(key).map(ResponseBytes::asByteArray);
    }

    private Optional<Versioned> read(String key) throws IOException {
        Optional<ResponseBytes<GetObjectResponse>> bytes = objects.get(key);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        String etag = objects.etag(key, bytes.get());
        try {
            return Optional.of(new Versioned(RecordJson.readRecord(bytes.get().asByteArray()), etag));
        } catch (IOException e) {
            throw new MalformedObject("s3://" + bucket + "/" + key + " is not a request record: " + e.getMessage(), e);
        }
    }

    private void backoff(int attempt, String key) throws IOException {
        long base = backoffBase.toMillis() << Math.min(attempt - 1, 16);
        long cap = Math.min(backoffMax.toMillis(), base);
        long sleep = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while retrying a conditional write of s3://" + bucket + "/" + key);
        }
    }

    /** A record and the ETag it was read with. */
    private record Versioned(RequestRecord record, String etag) {
    }

    /** An object that exists but is not a valid record. */
    private static final class MalformedObject extends IOException {
        MalformedObject(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Configures an {@link S3StatusStore}. Not thread-safe; each setter validates its value at once
     * and throws {@link IllegalArgumentException} naming the setting.
     */
    public static final class Builder {
        private final S3Client s3;
        private final String bucket;
        private String prefix = "";
        private int maxUpdateAttempts = 50;
        private Duration backoffBase = Duration.ofMillis(5);
        private Duration backoffMax = Duration.ofMillis(250);
        private int listPageSize = 1000;

        private Builder(S3Client s3, String bucket) {
            this.s3 = Objects.requireNonNull(s3, "s3");
            this.bucket = Prefixes.bucket(bucket);
        }

        /**
         * Text put in front of every key, such as {@code "imagebatch/"}: {@code /}-separated
         * segments of {@code [A-Za-z0-9._-]}; a missing trailing {@code /} is added. Default: none.
         *
         * @param value the prefix, possibly empty
         * @return this builder
         */
        public Builder prefix(String value) {
            prefix = Prefixes.normalize(value);
            return this;
        }

        /**
         * How many times {@link S3StatusStore#update} tries before giving up when other writers keep
         * changing the record first, 1..1000. Default 50. The same bound applies to
         * {@link S3StatusStore#putImages} when other writers keep taking its batch number.
         *
         * @param value the most attempts
         * @return this builder
         */
        public Builder maxUpdateAttempts(int value) {
            if (value < 1 || value > 1000) {
                throw new IllegalArgumentException("maxUpdateAttempts must be 1..1000, got " + value);
            }
            maxUpdateAttempts = value;
            return this;
        }

        /**
         * Backoff between conflicting attempts: the n-th wait is drawn from
         * [d/2, d] with d = min(max, base × 2^(n-1)). Defaults 5 ms and 250 ms.
         *
         * @param base the first wait's upper bound, zero or more
         * @param max  the largest wait, from {@code base} to 10 s
         * @return this builder
         */
        public Builder conflictBackoff(Duration base, Duration max) {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(max, "max");
            if (base.isNegative() || max.isNegative() || max.compareTo(base) < 0 || max.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("conflictBackoff needs 0 <= base <= max <= 10 s, got " + base + ", " + max);
            }
            backoffBase = base;
            backoffMax = max;
            return this;
        }

        /** Keys asked for per {@code LIST} page, 1..1000 (S3's maximum and the default); for tests. */
        Builder listPageSize(int value) {
            if (value < 1 || value > 1000) {
                throw new IllegalArgumentException("listPageSize must be 1..1000, got " + value);
            }
            listPageSize = value;
            return this;
        }

        /**
         * The store.
         *
         * @return a new store with this builder's settings
         */
        public S3StatusStore build() {
            return new S3StatusStore(this);
        }
    }
}
