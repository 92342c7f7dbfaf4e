package dev.imagebatch.s3;

import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.ResultPublisher;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A {@link ResultPublisher} that stores objects in an S3 bucket (Amazon S3 or any S3-compatible
 * store: MinIO, Ceph, R2...).
 *
 * <pre>{@code
 * S3Client s3 = S3Client.builder().region(Region.EU_WEST_1).build();   // the host's client
 * ResultPublisher publisher = S3ResultPublisher.builder(s3, "my-bucket")
 *         .prefix("imagebatch/")
 *         .publicBaseUrl(URI.create("https://cdn.example.com/"))       // or .presignedUrls(...)
 *         .build();
 * }</pre>
 *
 * <p><b>Object layout.</b> The engine's key {@code k} (see {@link ObjectKeys}:
 * {@code input/<id>.csv}, {@code images/<id>/<row>/<index>.jpg}, {@code csv/<id>.csv}) is stored
 * as the object {@code <prefix><k>} in the bucket, with the content's media type as its
 * {@code Content-Type} ({@code image/jpeg}, {@code text/csv; charset=utf-8}).
 *
 * <p><b>Uploads.</b> Content up to {@link Builder#multipartThreshold(long) multipartThreshold}
 * (default 16 MiB) is sent in one {@code PutObject}; larger content (a big output CSV) is sent as a
 * multipart upload in parts of {@link Builder#partSize(long) partSize} (default 8 MiB), each part
 * streamed from the file or buffer behind the {@link ObjectContent} and never more than one part's
 * bytes in flight, so the object is never held whole in memory by this class. A failed multipart
 * upload is aborted. Both kinds of write replace the object atomically: a reader sees the old
 * object (or none) until the new one is complete, and publishing a key again leaves one object.
 *
 * <p><b>URLs.</b> {@link #publish} answers, depending on the builder:
 * <ul>
 *   <li>{@link Builder#publicBaseUrl(URI)}: {@code <base><prefix><k>}, for a public bucket or a
 *       CDN in front of the bucket; such URLs never expire;</li>
 *   <li>{@link Builder#presignedUrls(S3Presigner, Duration)}: a presigned {@code GET} URL valid
 *       for the given time (at most 7 days); the engine stores it in the output CSV and the request
 *       status, so the links stop working when it expires;</li>
 *   <li>neither: {@code s3://<bucket>/<prefix><k>}, for hosts that read objects with their own
 *       credentials.</li>
 * </ul>
 * Presigned query strings are never logged and never appear in {@link #toString()}.
 *
 * <p><b>Thread-safety.</b> Immutable and safe for concurrent use (the SDK's {@link S3Client} and
 * {@link S3Presigner} are thread-safe). <b>Blocking:</b> every method blocks on the network.
 * <b>Ownership:</b> the client and presigner belong to the host, which configures them (region,
 * credentials, endpoint, path-style access, HTTP client, retries, timeouts) and closes them;
 * nothing here reads credentials. <b>Failures:</b> SDK exceptions become {@link IOException}s
 * naming {@code s3://<bucket>/<key>}, with the SDK exception as cause (an interrupted call becomes
 * an {@link java.io.InterruptedIOException}). <b>Nullness:</b> no argument may be {@code null}; no
 * method returns {@code null}.
 */
public final class S3ResultPublisher implements ResultPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(S3ResultPublisher.class);

    /** S3's smallest part (all but the last). */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part. */
    static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** S3's most parts in one upload. */
    static final int MAX_PARTS = 10_000;
    /** First pause before asking again for the rest of an object whose download broke. */
    static final long RESUME_PAUSE_MILLIS = 200;
    /** Presigned SigV4 URLs are valid for at most 7 days. */
    static final Duration MAX_PRESIGN_EXPIRY = Duration.ofDays(7);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final URI publicBaseUrl;
    private final S3Presigner presigner;
    private final Duration presignExpiry;
    private final long multipartThreshold;
    private final long partSize;

    private S3ResultPublisher(Builder b) {
        s3 = b.s3;
        bucket = b.bucket;
        prefix = b.prefix;
        publicBaseUrl = b.publicBaseUrl;
        presigner = b.presigner;
        presignExpiry = b.presignExpiry;
        multipartThreshold = b.multipartThreshold;
        partSize = b.partSize;
    }

    /**
     * A builder for a publisher writing to {@code bucket} through {@code s3}.
     *
     * @param s3     the host's client; not closed by the publisher
     * @param bucket an existing bucket the client may read and write
     * @return a builder with no prefix and {@code s3://} URLs
     * @throws IllegalArgumentException if the bucket name is blank or contains {@code /}
     */
    public static Builder builder(S3Client s3, String bucket) {
        return new Builder(s3, bucket);
    }

    /**
     * Uploads {@code content} to {@code <prefix><key>}, replacing any object there.
     *
     * @return the URL a user is given (see the class description)
     * @throws IllegalArgumentException if {@code key} is not valid per {@link ObjectKeys}; nothing
     *                                  was sent
     * @throws IOException              if the upload failed; the object under the key is unchanged
     */
    @Override
    public URI publish(String key, ObjectContent content) throws IOException {
        ObjectKeys.requireValid(key);
        Objects.requireNonNull(content, "content");
        String objectKey = prefix + key;
        if (content.length() > multipartThreshold) {
            uploadInParts(objectKey, content);
        } else {
            putWhole(objectKey, content);
        }
        LOG.debug("Published s3://{}/{} ({} bytes, {})", bucket, objectKey, content.length(), content.mediaType());
        return urlOf(objectKey);
    }

    /**
     * Opens {@code <prefix><key>} for reading; the bytes are streamed from S3 as they are read. If
     * the download breaks part way (a connection dropped while the caller held the stream idle, a
     * short outage), the rest is asked for again from where it broke, from the same version of the
     * object only (a ranged {@code GET} with {@code If-Match}), up to 3 times in a row with pauses
     * of 0.2, 0.4 and 0.8 s. Failures while reading surface as {@link IOException}s naming the
     * object.
     *
     * @return a stream the caller must close, or empty if there is no such object
     * @throws IllegalArgumentException if {@code key} is not valid per {@link ObjectKeys}
     * @throws IOException              if S3 could not be asked
     */
    @Override
    public Optional<InputStream> open(String key) throws IOException {
        ObjectKeys.requireValid(key);
        String objectKey = prefix + key;
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(objectKey));
            return Optional.of(new ResumingObjectStream(s3, bucket, objectKey, in, RESUME_PAUSE_MILLIS));
        } catch (SdkException e) {
            if (S3Errors.noSuchKey(e)) {
                return Optional.empty();
            }
            throw S3Errors.io("Reading", bucket, objectKey, e);
        }
    }

    private void putWhole(String objectKey, ObjectContent content) throws IOException {
        StreamSource source = new StreamSource(content, 0, content.length());
        try {
            s3.putObject(b -> b.bucket(bucket).key(objectKey).contentType(content.mediaType())
                            .contentLength(content.length()),
                    RequestBody.fromContentProvider(source, content.length(), content.mediaType()));
        } catch (SdkException e) {
            throw S3Errors.io("Uploading", bucket, objectKey, e);
        } catch (RuntimeException e) {
            throw contentFailure("Uploading s3://" + bucket + "/" + objectKey, e);
        } finally {
            source.close();
        }
    }

    private void uploadInParts(String objectKey, ObjectContent content) throws IOException {
        long length = content.length();
        long size = Math.max(partSize, (length + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId;
        try {
            // One declared checksum algorithm for the upload and its parts, whose checksums go back
            // in the completion: S3 refuses to complete uploads whose parts carry undeclared ones.
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(objectKey).contentType(content.mediaType())
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        } catch (SdkException e) {
            throw S3Errors.io("Starting a multipart upload of", bucket, objectKey, e);
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long offset = 0; offset < length; offset += size, partNumber++) {
                long partLength = Math.min(size, length - offset);
                parts.add(uploadPart(objectKey, uploadId, partNumber, content, offset, partLength));
            }
            try {
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            } catch (SdkException e) {
                throw S3Errors.io("Completing the multipart upload of", bucket, objectKey, e);
            }
            completed = true;
            LOG.debug("Uploaded s3://{}/{} in {} parts", bucket, objectKey, parts.size());
        } finally {
            if (!completed) {
                abort(objectKey, uploadId);
            }
        }
    }

    private CompletedPart uploadPart(String objectKey, String uploadId, int partNumber, ObjectContent content,
                                     long offset, long partLength) throws IOException {
        StreamSource source = new StreamSource(content, offset, partLength);
        try {
            UploadPartResponse response = s3.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)
                            .partNumber(partNumber).contentLength(partLength).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                    RequestBody.fromContentProvider(source, partLength, "application/octet-stream"));
            return CompletedPart.builder()
                    .partNumber(partNumber)
                    .eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32())
                    .build();
        } catch (SdkException e) {
            throw S3Errors.io("Uploading part " + partNumber + " of", bucket, objectKey, e);
        } catch (RuntimeException e) {
            throw contentFailure("Uploading part " + partNumber + " of s3://" + bucket + "/" + objectKey, e);
        } finally {
            source.close();
        }
    }

    /**
     * The SDK reports a body it could not read (the content's file shrank, vanished or failed), and
     * some misuse, with unchecked exceptions of its own or ours; they become the IOException the SPI
     * promises.
     */
    private static IOException contentFailure(String action, RuntimeException e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        return new IOException(action + " failed: " + cause, cause);
    }

    private void abort(String objectKey, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
        } catch (SdkException e) {
            // The upload's parts stay until a lifecycle rule removes them; the object is unchanged.
            LOG.warn("Could not abort the failed multipart upload of s3://{}/{}: {}", bucket, objectKey,
                    S3Errors.io("Aborting", bucket, objectKey, e).getMessage());
        }
    }

    private URI urlOf(String objectKey) throws IOException {
        if (publicBaseUrl != null) {
            return URI.create(publicBaseUrl + objectKey);
        }
        if (presigner != null) {
            URL url;
            try {
                url = presigner.presignGetObject(p -> p.signatureDuration(presignExpiry)
                        .getObjectRequest(g -> g.bucket(bucket).key(objectKey))).url();
            } catch (SdkException e) {
                throw S3Errors.io("Presigning a URL for", bucket, objectKey, e);
            }
            try {
                return url.toURI();
            } catch (URISyntaxException e) {
                throw new IOException("the presigned URL for s3://" + bucket + "/" + objectKey + " is not a valid URI", e);
            }
        }
        return URI.create("s3://" + bucket + "/" + objectKey);
    }

    /** Bucket, prefix and URL mode; never a credential or a presigned query string. */
    @Override
    public String toString() {
        String urls;
        if (publicBaseUrl != null) {
            urls = "public " + publicBaseUrl;
        } else if (presigner != null) {
            urls = "presigned for " + presignExpiry;
        } else {
            urls = "s3";
        }
        return "S3ResultPublisher[bucket=" + bucket + ", prefix=" + prefix + ", urls=" + urls + "]";
    }

    /**
     * Fresh streams over a slice of the content, one per attempt (the SDK asks again when it
     * retries); each earlier stream is closed when the next is opened, the last by {@link #close()}.
     */
    private static final class StreamSource implements ContentStreamProvider {
        private final ObjectContent content;
        private final long offset;
        private final long length;
        private InputStream current;

        StreamSource(ObjectContent content, long offset, long length) {
            this.content = content;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public synchronized InputStream newStream() {
            close();
            try {
                current = new BoundedStream(open(), length);
                return current;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A stream at {@code offset}: a file is positioned there, in-memory content skipped to it. */
        private InputStream open() throws IOException {
            Optional<Path> file = content.file();
            if (file.isPresent()) {
                FileChannel channel = FileChannel.open(file.get(), StandardOpenOption.READ);
                try {
                    channel.position(offset);
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return Channels.newInputStream(channel);
            }
            InputStream in = content.openStream();
            try {
                in.skipNBytes(offset);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return in;
        }

        synchronized void close() {
            if (current != null) {
                try {
                    current.close();
                } catch (IOException ignored) {
                    // a read-only stream over a file or buffer; nothing to recover
                }
                current = null;
            }
        }
    }

    /** At most {@code remaining} bytes of the underlying stream. */
    private static final class BoundedStream extends FilterInputStream {
        private long remaining;

        BoundedStream(InputStream in, long limit) {
            super(in);
            remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /**
     * Configures an {@link S3ResultPublisher}. Not thread-safe; each setter validates its value at
     * once and throws {@link IllegalArgumentException} naming the setting.
     */
    public static final class Builder {
        private final S3Client s3;
        private final String bucket;
        private String prefix = "";
        private URI publicBaseUrl;
        private S3Presigner presigner;
        private Duration presignExpiry;
        private long multipartThreshold = 16L * 1024 * 1024;
        private long partSize = 8L * 1024 * 1024;

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
         * Answer {@code base + prefix + key} as each object's URL: {@code base} is where the bucket's
         * root is served publicly (a CDN, a public bucket's virtual-host or path-style URL). It must
         * be an absolute {@code http} or {@code https} URL without query or fragment; a missing
         * trailing {@code /} is added. Exclusive with {@link #presignedUrls}.
         *
         * @param base where the bucket's root is served, such as {@code https://cdn.example.com/}
         * @return this builder
         */
        public Builder publicBaseUrl(URI base) {
            Objects.requireNonNull(base, "publicBaseUrl");
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (!base.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null) {
                throw new IllegalArgumentException("publicBaseUrl must be an absolute http(s) URL, got " + base);
            }
            if (base.getRawQuery() != null || base.getRawFragment() != null || base.getRawUserInfo() != null) {
                throw new IllegalArgumentException("publicBaseUrl must not have user info, a query or a fragment");
            }
            String text = base.toString();
            publicBaseUrl = URI.create(text.endsWith("/") ? text : text + "/");
            return this;
        }

        /**
         * Answer a presigned {@code GET} URL, valid for {@code expiry}, as each object's URL. The
         * presigner belongs to the host (built with the same endpoint, region and credentials as the
         * client) and is not closed by the publisher. Exclusive with {@link #publicBaseUrl}.
         *
         * @param presigner the host's presigner for the bucket's endpoint
         * @param expiry    from 1 second to 7 days
         * @return this builder
         */
        public Builder presignedUrls(S3Presigner presigner, Duration expiry) {
            this.presigner = Objects.requireNonNull(presigner, "presigner");
            Objects.requireNonNull(expiry, "expiry");
            if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_PRESIGN_EXPIRY) > 0) {
                throw new IllegalArgumentException("presigned URL expiry must be 1 s to 7 days, got " + expiry);
            }
            presignExpiry = expiry;
            return this;
        }

        /**
         * Content longer than this many bytes is uploaded in parts; from 5 MiB to 5 GiB (S3 refuses
         * single uploads above 5 GiB). Default 16 MiB.
         *
         * @param bytes the threshold in bytes
         * @return this builder
         */
        public Builder multipartThreshold(long bytes) {
            if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
                throw new IllegalArgumentException("multipartThreshold must be 5 MiB to 5 GiB, got " + bytes);
            }
            multipartThreshold = bytes;
            return this;
        }

        /**
         * Size of each part of a multipart upload (the last may be smaller), from 5 MiB to 5 GiB;
         * raised automatically when an object would need more than 10,000 parts. Default 8 MiB.
         *
         * @param bytes the part size in bytes
         * @return this builder
         */
        public Builder partSize(long bytes) {
            if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
                throw new IllegalArgumentException("partSize must be 5 MiB to 5 GiB, got " + bytes);
            }
            partSize = bytes;
            return this;
        }

        /**
         * The publisher.
         *
         * @return a new publisher with this builder's settings
         * @throws IllegalStateException if both a public base URL and presigned URLs were chosen
         */
        public S3ResultPublisher build() {
            if (publicBaseUrl != null && presigner != null) {
                throw new IllegalStateException("choose either publicBaseUrl or presignedUrls, not both");
            }
            return new S3ResultPublisher(this);
        }
    }
}
