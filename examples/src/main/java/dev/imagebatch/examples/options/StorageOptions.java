package dev.imagebatch.examples.options;

import dev.imagebatch.examples.wiring.S3Connection;
import dev.imagebatch.examples.wiring.StatusReader;
import dev.imagebatch.examples.wiring.Storage;
import dev.imagebatch.fs.FileStatusStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where requests and results are kept: a directory ({@code --data DIR}, the default) or an S3 bucket
 * ({@code --storage s3} and the {@code --s3-*} flags; credentials come from the AWS SDK's default
 * provider chain).
 */
public final class StorageOptions {

    /** The storage kinds. */
    public enum Kind {
        /** A local directory. */
        fs,
        /** An S3 bucket. */
        s3
    }

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "imagebatch-data",
            description = "Directory for request records, images and CSVs (default: ${DEFAULT-VALUE}). "
                    + "Durable: a killed run is finished later by 'resume'.")
    Path data;

    @Option(names = "--storage", paramLabel = "fs|s3", defaultValue = "fs",
            description = "fs: the --data directory (default); s3: an S3 bucket (--s3-* flags; credentials "
                    + "from the AWS default provider chain).")
    Kind kind;

    @Option(names = "--s3-bucket", paramLabel = "BUCKET", description = "The bucket (required with --storage s3).")
    String bucket;

    @Option(names = "--s3-prefix", paramLabel = "PREFIX", defaultValue = "",
            description = "Put in front of every key, e.g. imagebatch/ (default: none).")
    String prefix;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "An S3-compatible endpoint such as http://127.0.0.1:9000 (default: Amazon S3).")
    URI endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION",
            description = "The region, e.g. eu-west-1 (default: from the AWS default region chain).")
    String region;

    @Option(names = "--s3-path-style", description = "Put the bucket in the URL path (most S3-compatible stores need it).")
    boolean pathStyle;

    @Option(names = "--s3-public-url", paramLabel = "URL",
            description = "URL where the bucket is publicly readable, e.g. a CDN (output URLs are this URL + prefix + key); "
                    + "by default output URLs are presigned for 7 days.")
    URI s3PublicUrl;

    /** The data directory as given. */
    public Path dataDirectory() {
        return data;
    }

    /** Whether objects are local files under {@link #dataDirectory()}, which this process can serve. */
    public boolean isLocal() {
        return kind == Kind.fs;
    }

    /**
     * Opens the storage for writing.
     *
     * @param publicBaseUrl for a directory: the URL at which it is served, ending in {@code /}; empty
     *                      for {@code file:} URLs. Not used for S3.
     * @throws IOException if it cannot be opened (for a directory: another process is writing it)
     */
    public Storage open(Optional<URI> publicBaseUrl) throws IOException {
        return switch (kind) {
            case fs -> Storage.filesystem(data, publicBaseUrl);
            case s3 -> Storage.s3(s3());
        };
    }

    /** Opens the status records for reading only, beside a process that may be writing them. */
    public StatusReader openReader() {
        return switch (kind) {
            case fs -> {
                FileStatusStore store = FileStatusStore.openReadOnly(data);
                yield new StatusReader(store, store);
            }
            case s3 -> Storage.s3Reader(s3());
        };
    }

    /** Where the storage is, for messages. */
    public String describe() {
        return switch (kind) {
            case fs -> data.toAbsolutePath().toString();
            case s3 -> "s3://" + bucket + "/" + prefix;
        };
    }

    private S3Connection s3() {
        return new S3Connection(bucket == null ? "" : bucket, prefix, Optional.ofNullable(endpoint),
                Optional.ofNullable(region), pathStyle, Optional.ofNullable(s3PublicUrl));
    }
}
