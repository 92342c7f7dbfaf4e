package dev.imagebatch.examples.wiring;

import dev.imagebatch.fs.FileResultPublisher;
import dev.imagebatch.fs.FileStatusStore;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.spi.WorkStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A status store and a result publisher that belong together, plus what must be closed after them
 * (a directory lock, an S3 client). {@link #localRoot()} tells whether the published objects are
 * files this process can serve itself.
 */
public final class Storage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);

    private final StatusStore store;
    private final ResultPublisher publisher;
    private final Optional<Path> localRoot;
    private final Optional<WorkStore> workStore;
    private final List<AutoCloseable> resources;
    private boolean closed;

    /**
     * @param store     where request records and image results go
     * @param publisher where images and CSVs go
     * @param localRoot the directory holding the published objects, when they are local files
     * @param resources closed by {@link #close()}, in this order
     */
    public Storage(StatusStore store, ResultPublisher publisher, Optional<Path> localRoot, List<AutoCloseable> resources) {
        this(store, publisher, localRoot, Optional.empty(), resources);
    }

    /**
     * @param store     where request records and image results go
     * @param publisher where images and CSVs go
     * @param localRoot the directory holding the published objects, when they are local files
     * @param workStore where instances sharing this storage coordinate, when it can be shared
     * @param resources closed by {@link #close()}, in this order
     */
    public Storage(StatusStore store, ResultPublisher publisher, Optional<Path> localRoot, Optional<WorkStore> workStore,
                   List<AutoCloseable> resources) {
        this.workStore = Objects.requireNonNull(workStore, "workStore");
        this.store = Objects.requireNonNull(store, "store");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.localRoot = Objects.requireNonNull(localRoot, "localRoot");
        this.resources = List.copyOf(resources);
    }

    /**
     * Durable storage in one directory: records under {@code root/status/}, objects beside them
     * ({@code csv/}, {@code images/}, {@code input/}). Takes the directory's lock, so a second
     * writer fails here instead of corrupting it.
     *
     * @param publicBaseUrl the URL at which {@code root} is served over HTTP, ending in {@code /};
     *                      empty to hand out {@code file:} URLs
     * @throws IOException if the directory cannot be created or another process holds its lock
     */
    public static Storage filesystem(Path root, Optional<URI> publicBaseUrl) throws IOException {
        FileStatusStore store = FileStatusStore.open(root);
        try {
            FileResultPublisher.Builder builder = FileResultPublisher.builder(root);
            publicBaseUrl.ifPresent(builder::publicBaseUrl);
            FileResultPublisher publisher = builder.build();
            return new Storage(store, publisher, Optional.of(publisher.root()), List.of(store));
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Storage in an S3 bucket: records under {@code <prefix>status/}, objects beside them. Several
     * processes may share it. Published URLs are presigned or under the connection's public URL.
     *
     * @throws RuntimeException from the AWS SDK if the client cannot be built (no region found...)
     */
    public static Storage s3(S3Connection connection) {
        return connection.open();
    }

    /** A status reader for an S3 bucket. */
    public static StatusReader s3Reader(S3Connection connection) {
        return connection.openReader();
    }

    public StatusStore store() {
        return store;
    }

    public ResultPublisher publisher() {
        return publisher;
    }

    /** Where instances sharing this storage coordinate; empty for storage one process owns (a directory). */
    public Optional<WorkStore> workStore() {
        return workStore;
    }

    /** The directory that holds the published objects, when they are local files. */
    public Optional<Path> localRoot() {
        return localRoot;
    }

    /** Closes the resources in order; a failure is logged, not thrown. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Could not close {}: {}", resource, e.toString());
            }
        }
    }
}
