package dev.imagebatch.s3;

import dev.imagebatch.spi.ChunkRecord;
import dev.imagebatch.spi.RecordJson;
import dev.imagebatch.spi.Versioned;
import dev.imagebatch.spi.WorkPlan;
import dev.imagebatch.spi.WorkStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link WorkStore} in an S3 bucket, for several service instances sharing requests: versions
 * are ETags, create-if-absent is {@code PutObject} with {@code If-None-Match: *} and
 * compare-and-set is {@code PutObject} with {@code If-Match: <etag>}. S3's strong read-after-write
 * consistency makes a successful write visible to every instance at once. Use it beside an
 * {@link S3StatusStore} and {@link S3ResultPublisher} on the same bucket and prefix.
 *
 * <pre>{@code
 * WorkStore work = S3WorkStore.builder(s3, "my-bucket").prefix("imagebatch/").build();
 * }</pre>
 *
 * <p><b>Object layout</b> under the prefix {@code P}:
 * <ul>
 *   <li>{@code P work/plans/<requestId>.json}: the request's {@link WorkPlan};</li>
 *   <li>{@code P work/open/<requestId>}: an empty marker while the request is not finished, so
 *       that {@link #openRequests()} costs one {@code LIST} of the open requests only; it is written
 *       by {@link #markOpen} (before the request's record and plan) and deleted after the plan is
 *       written finished;</li>
 *   <li>{@code P work/chunks/<requestId>/<chunk>.json}: each claimed chunk's {@link ChunkRecord},
 *       {@code <chunk>} zero-padded to 6 digits. A chunk record is written on every progress batch
 *       and renewal and holds its results, so it grows to about 200 bytes per image.</li>
 * </ul>
 * All in {@link RecordJson}'s format. Nothing is deleted but the markers; hosts expire old objects
 * with a bucket lifecycle rule if they need to.
 *
 * <p>A conditional write answered 412 (the version changed), 404 (the object vanished) or 409 (S3
 * refused it while another conditional write on the key was in flight) is reported as "not
 * written" (empty). A write whose answer was lost may have happened: its caller then holds an old
 * ETag and its next write fails, which the engine treats as a lost lease (safe; it costs only a
 * lease duration).
 *
 * <p><b>Thread-safety.</b> Safe for concurrent use. <b>Blocking:</b> every method blocks on the
 * network. <b>Ownership:</b> the {@link S3Client} belongs to the host. <b>Failures:</b> other SDK
 * exceptions become {@link IOException}s naming {@code s3://<bucket>/<key>}. Request ids must be
 * one segment of {@code [A-Za-z0-9._-]}; others are refused with {@link IllegalArgumentException}.
 * The server must honour {@code If-Match} and {@code If-None-Match} on {@code PutObject} atomically
 * (Amazon S3 does; check an S3-compatible store before relying on it).
 */
public final class S3WorkStore implements WorkStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3WorkStore.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final String JSON = "application/json";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final S3Objects objects;

    private S3WorkStore(Builder b) {
        s3 = b.s3;
        bucket = b.bucket;
        prefix = b.prefix;
        objects = new S3Objects(s3, bucket, 1000);
    }

    /**
     * A builder for a store in {@code bucket}, reached through {@code s3}.
     *
     * @param s3     the host's client; not closed by the store
     * @param bucket an existing bucket the client may list, read, write and delete in
     * @throws IllegalArgumentException if the bucket name is blank or contains {@code /}
     */
    public static Builder builder(S3Client s3, String bucket) {
        return new Builder(s3, bucket);
    }

    @Override
    public void markOpen(String requestId) throws IOException {
        String key = openKey(requireId(requestId));
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.empty());
        } catch (SdkException e) {
            throw S3Errors.io("Marking open", bucket, key, e);
        }
    }

    @Override
    public Optional<String> createPlan(WorkPlan plan) throws IOException {
        return put(planKey(requireId(plan.requestId())), RecordJson.write(plan), null);
    }

    @Override
    public Optional<Versioned<WorkPlan>> findPlan(String requestId) throws IOException {
        String key = planKey(requireId(requestId));
        Optional<ResponseBytes<GetObjectResponse>> object = objects.get(key);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Versioned<>(parse(key, () -> RecordJson.readPlan(object.get().asByteArray())),
                objects.etag(key, object.get())));
    }

    @Override
    public Optional<String> replacePlan(WorkPlan plan, String expectedVersion) throws IOException {
        String id = requireId(plan.requestId());
        Optional<String> version = put(planKey(id), RecordJson.write(plan), Objects.requireNonNull(expectedVersion));
        if (version.isPresent() && plan.finished()) {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(openKey(id)));
            } catch (SdkException e) {
                // The plan says finished, so a leftover marker only costs a read; the next one tries again.
                LOG.warn("Could not delete s3://{}/{}: {}", bucket, openKey(id), e.toString());
            }
        }
        return version;
    }

    /**
     * The requests with an open marker. A marker left behind by a failed deletion lists a finished
     * plan until it is deleted, which the contract allows ("or later").
     */
    @Override
    public List<String> openRequests() throws IOException {
        String openPrefix = prefix + "work/open/";
        List<String> open = new ArrayList<>();
        for (S3Object object : objects.list(openPrefix, "/", null)) {
            String id = object.key().substring(openPrefix.length());
            if (ID.matcher(id).matches()) {
                open.add(id);
            }
        }
        return open;
    }

    @Override
    public Optional<String> createChunk(ChunkRecord chunk) throws IOException {
        return put(chunkKey(requireId(chunk.requestId()), chunk.chunk()), RecordJson.write(chunk), null);
    }

    @Override
    public Optional<Versioned<ChunkRecord>> findChunk(String requestId, int chunk) throws IOException {
        String key = chunkKey(requireId(requestId), chunk);
        Optional<ResponseBytes<GetObjectResponse>> object = objects.get(key);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Versioned<>(parse(key, () -> RecordJson.readChunk(object.get().asByteArray())),
                objects.etag(key, object.get())));
    }

    @Override
    public Optional<String> replaceChunk(ChunkRecord chunk, String expectedVersion) throws IOException {
        return put(chunkKey(requireId(chunk.requestId()), chunk.chunk()), RecordJson.write(chunk),
                Objects.requireNonNull(expectedVersion));
    }

    /** Bucket and prefix. */
    @Override
    public String toString() {
        return "S3WorkStore[bucket=" + bucket + ", prefix=" + prefix + "]";
    }

    /**
     * A conditional {@code PutObject}: {@code If-Match: ifMatch}, or {@code If-None-Match: *} when
     * {@code ifMatch} is null. Returns the new ETag, or empty if the condition did not hold.
     */
    private Optional<String> put(String key, byte[] json, String ifMatch) throws IOException {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key).contentType(JSON);
        if (ifMatch == null) {
            request.ifNoneMatch("*");
        } else {
            request.ifMatch(ifMatch);
        }
        try {
            String etag = s3.putObject(request.build(), RequestBody.fromBytes(json)).eTag();
            if (etag == null) {
                throw new IOException("Writing s3://" + bucket + "/" + key + " failed: the server sent no ETag");
            }
            return Optional.of(etag);
        } catch (SdkException e) {
            int status = S3Errors.status(e);
            if (status == S3Errors.PRECONDITION_FAILED || status == S3Errors.CONFLICT || status == S3Errors.NOT_FOUND) {
                return Optional.empty();
            }
            throw S3Errors.io("Writing", bucket, key, e);
        }
    }

    private interface Parser<T> {
        T parse() throws IOException;
    }

    private <T> T parse(String key, Parser<T> parser) throws IOException {
        try {
            return parser.parse();
        } catch (IOException e) {
            throw new IOException("s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    private String planKey(String id) {
        return prefix + "work/plans/" + id + ".json";
    }

    private String openKey(String id) {
        return prefix + "work/open/" + id;
    }

    private String chunkKey(String id, int chunk) {
        return prefix + "work/chunks/" + id + "/" + String.format("%06d", chunk) + ".json";
    }

    private static String requireId(String id) {
        Objects.requireNonNull(id, "requestId");
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("request id must be 1..200 characters of [A-Za-z0-9._-], got '" + id + "'");
        }
        return id;
    }

    /** Configures an {@link S3WorkStore}. Not thread-safe. */
    public static final class Builder {
        private final S3Client s3;
        private final String bucket;
        private String prefix = "";

        private Builder(S3Client s3, String bucket) {
            this.s3 = Objects.requireNonNull(s3, "s3");
            this.bucket = Prefixes.bucket(bucket);
        }

        /**
         * Text put in front of every key, as for {@link S3StatusStore.Builder#prefix(String)}; use
         * the same prefix as the status store. Default: none.
         *
         * @param value the prefix, possibly empty
         * @return this builder
         */
        public Builder prefix(String value) {
            prefix = Prefixes.normalize(value);
            return this;
        }

        /**
         * The store.
         *
         * @return a new store with this builder's settings
         */
        public S3WorkStore build() {
            return new S3WorkStore(this);
        }
    }
}
