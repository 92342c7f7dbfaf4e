package dev.imagebatch.examples.options;

import dev.imagebatch.examples.wiring.Storage;
import dev.imagebatch.examples.wiring.StatusReader;
import dev.imagebatch.fs.FileStatusStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where requests and results are kept: {@code --data DIR} on this machine. */
public final class StorageOptions {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "imagebatch-data",
            description = "Directory for request records, images and CSVs (default: ${DEFAULT-VALUE}). "
                    + "Durable: a killed run is finished later by 'resume'.")
    Path data;

    /** The data directory as given. */
    public Path dataDirectory() {
        return data;
    }

    /**
     * Opens the storage for writing.
     *
     * @param publicBaseUrl the URL at which the objects are served, ending in {@code /}; empty for
     *                      {@code file:} URLs
     * @throws IOException if it cannot be opened (for a directory: another process is writing it)
     */
    public Storage open(Optional<URI> publicBaseUrl) throws IOException {
        return Storage.filesystem(data, publicBaseUrl);
    }

    /** Opens the status records for reading only, beside a process that may be writing them. */
    public StatusReader openReader() {
        FileStatusStore store = FileStatusStore.openReadOnly(data);
        return new StatusReader(store, store);
    }
}
