package dev.imagebatch.fs;

import dev.imagebatch.ImageResult;
import dev.imagebatch.spi.RecordJson;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.StatusStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StatusStore} that keeps request records and image results in files under a directory:
 * the durable default for a host with one machine and a disk.
 *
 * <pre>{@code
 * try (FileStatusStore store = FileStatusStore.open(Path.of("/var/lib/imagebatch"))) { ... }
 * }</pre>
 *
 * <p><b>On-disk format</b>, under {@code <root>/status/}:
 * <ul>
 *   <li>{@code <id>.json}: the request's {@link RequestRecord} as {@link RecordJson#write(RequestRecord)}
 *       writes it. Every change replaces the whole (small) file atomically: temporary file in the same
 *       directory, fsync, atomic rename, fsync of the directory.</li>
 *   <li>{@code <id>.results.jsonl}: the request's image results, one
 *       {@link RecordJson#write(ImageResult)} line per result, appended and fsynced by each
 *       {@link #putImages} call, so recording progress costs one small append however many images the
 *       request has; for a position (row, index) the last line wins. When the request reaches a
 *       terminal state the log is compacted, atomically, to one line per position in row, index order.</li>
 *   <li>{@code store.lock}: the lock file (see below).</li>
 *   <li>{@code *~*.tmp}: temporary files of interrupted writes; removed when a store opens.</li>
 * </ul>
 * Files are created readable by their owner only where the file system has POSIX permissions: a
 * record may hold a webhook URL with a token.
 *
 * <p><b>Crashes.</b> A record file is always a whole version (the rename is atomic), and every call
 * has fsynced its data before returning. An append cut short by a crash leaves a last line without
 * its newline: readers ignore it, and the next append first cuts it off. A record file that cannot
 * be parsed (damaged outside this store) makes {@link #find} fail with an {@link IOException} naming
 * it, and is logged at WARN and skipped by {@link #unfinished()}, so one bad file never stops a
 * resume.
 *
 * <p><b>One writer per directory.</b> {@link #open(Path)} takes an exclusive {@link
 * java.nio.channels.FileLock} on {@code status/store.lock} and fails with an {@link IOException} if
 * another process (or another open store in this JVM) holds it; {@link #close()} releases it, and so
 * does the operating system if the process dies. Other processes may read the same directory with
 * {@link #openReadOnly(Path)}: readers see each record before or after a write, and results up to the
 * last whole line. Sharing one directory between writers on different machines (for example over
 * NFS, where locks may not work) is not supported.
 *
 * <p><b>Thread-safety.</b> Safe for concurrent use. {@link #update} is a read-modify-write serialised
 * per request within this JVM (striped locks); appends to one request's log are serialised likewise;
 * different requests mostly proceed in parallel.
 *
 * <p><b>Blocking.</b> Every method does file I/O on the calling thread, including fsyncs.
 *
 * <p><b>Ids.</b> Request ids become file names, so they must be 1 to 128 characters of
 * {@code [A-Za-z0-9._-]} with no leading dot and no {@code ..} (UUIDs are). {@link #create} and
 * {@link #putImages} refuse another id with {@link IllegalArgumentException}; {@link #find} and
 * {@link #images} answer empty for it (no such request can exist); {@link #update} throws
 * {@link IllegalStateException} as for any unknown id.
 *
 * <p><b>Failures</b> are {@link IOException}s whose message names the request and the file, with the
 * JDK's exception as cause. A failed record write leaves the previous record in place.
 *
 * <p><b>Nullness.</b> Arguments must not be {@code null}; results are never {@code null}.
 */
public final class FileStatusStore implements StatusStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileStatusStore.class);

    /** The directory under the root that holds the store's files. */
    static final String STATUS_DIRECTORY = "status";
    static final String LOCK_FILE = "store.lock";
    static final String RECORD_SUFFIX = ".json";
    static final String RESULTS_SUFFIX = ".results.jsonl";
    private static final int STRIPES = 64;

    private final Path root;
    private final Path statusDir;
    private final DirectoryLock lock;
    private final ReentrantLock[] recordLocks = newLocks();
    private final ReentrantLock[] logLocks = newLocks();
    /** Requests whose log this store has checked for an incomplete last line since opening. */
    private final Set<String> checkedLogs = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private FileStatusStore(Path root, DirectoryLock lock) {
        this.root = root;
        this.statusDir = root.resolve(STATUS_DIRECTORY);
        this.lock = lock;
    }

    /**
     * Opens the store under {@code root} for reading and writing, creating {@code root/status} if
     * needed, taking the directory's lock and removing temporary files an earlier crash left.
     *
     * @param root the storage root; made absolute
     * @return the store, to be closed when done
     * @throws IOException naming the path if the directory cannot be created (a file in the way,
     *                     no permission...) or if another process or store holds the lock
     */
    public static FileStatusStore open(Path root) throws IOException {
        Path absolute = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        Path statusDir = absolute.resolve(STATUS_DIRECTORY);
        try {
            AtomicFiles.createDirectories(statusDir);
        } catch (IOException e) {
            throw PathErrors.wrap("could not create the status directory", statusDir, e);
        }
        DirectoryLock lock = DirectoryLock.acquire(statusDir.resolve(LOCK_FILE));
        TempFileSweeper.sweep(statusDir, 1);
        LOG.debug("Opened the status store in {}", statusDir);
        return new FileStatusStore(absolute, lock);
    }

    /**
     * Opens the store under {@code root} for reading only: takes no lock, creates and deletes
     * nothing, and so may run beside the process that writes the directory (to answer status queries
     * or to watch progress). {@link #create}, {@link #update} and {@link #putImages} throw
     * {@link UnsupportedOperationException}. A missing directory reads as an empty store.
     *
     * @param root the storage root; made absolute
     * @return a read-only store
     */
    public static FileStatusStore openReadOnly(Path root) {
        return new FileStatusStore(Objects.requireNonNull(root, "root").toAbsolutePath().normalize(), null);
    }

    /**
     * The root directory; the store's files are in its {@code status} subdirectory.
     *
     * @return the absolute, normalised root
     */
    public Path root() {
        return root;
    }

    /**
     * Whether this store was opened with {@link #openReadOnly(Path)}.
     *
     * @return {@code true} for a read-only store
     */
    public boolean isReadOnly() {
        return lock == null;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the id cannot be a file name (see the class description)
     */
    @Override
    public void create(RequestRecord record) throws IOException {
        Objects.requireNonNull(record, "record");
        requireWritable();
        String id = RequestIds.requireValid(record.requestId());
        Path file = recordFile(id);
        ReentrantLock l = stripe(recordLocks, id);
        l.lock();
        try {
            if (Files.exists(file)) {
                throw new IllegalStateException("request " + id + " already exists (" + file + ")");
            }
            writeRecord(file, record, "could not create request " + id);
        } finally {
            l.unlock();
        }
    }

    @Override
    public Optional<RequestRecord> find(String requestId) throws IOException {
        Objects.requireNonNull(requestId, "requestId");
        ensureOpen();
        if (!RequestIds.isValid(requestId)) {
            return Optional.empty();
        }
        return readRecord(requestId, recordFile(requestId));
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the update moves the request into a terminal state, its results log is compacted
     * afterwards; a failed compaction is logged at WARN and leaves the (still valid) uncompacted log.
     */
    @Override
    public RequestRecord update(String requestId, UnaryOperator<RequestRecord> change) throws IOException {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(change, "change");
        requireWritable();
        if (!RequestIds.isValid(requestId)) {
            throw new IllegalStateException("no request " + requestId);
        }
        Path file = recordFile(requestId);
        ReentrantLock l = stripe(recordLocks, requestId);
        l.lock();
        try {
            RequestRecord current = readRecord(requestId, file)
                    .orElseThrow(() -> new IllegalStateException("no request " + requestId));
            RequestRecord next = Objects.requireNonNull(change.apply(current), "change returned null");
            if (!next.requestId().equals(requestId)) {
                throw new IllegalArgumentException("an update must keep the request id " + requestId
                        + ", got " + next.requestId());
            }
            writeRecord(file, next, "could not update request " + requestId);
            if (!current.status().state().isTerminal() && next.status().state().isTerminal()) {
                compactQuietly(requestId);
            }
            return next;
        } finally {
            l.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Appends one line per result to the request's log and fsyncs it before returning.
     *
     * @throws IllegalArgumentException if the id cannot be a file name
     * @throws IllegalStateException    if there is no record for {@code requestId}
     */
    @Override
    public void putImages(String requestId, Collection<ImageResult> results) throws IOException {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(results, "results");
        requireWritable();
        RequestIds.requireValid(requestId);
        if (results.isEmpty()) {
            return;
        }
        if (!Files.exists(recordFile(requestId))) {
            throw new IllegalStateException("no request " + requestId);
        }
        Path log = resultsFile(requestId);
        ReentrantLock l = stripe(logLocks, requestId);
        l.lock();
        try {
            if (!checkedLogs.contains(requestId)) {
                ResultsLog.repairTail(log);
                checkedLogs.add(requestId);
            }
            if (ResultsLog.append(log, results, true)) {
                AtomicFiles.syncDirectory(statusDir);
            }
        } catch (IOException e) {
            checkedLogs.remove(requestId); // a failed append may have left part of a line
            throw PathErrors.wrap("could not record " + results.size() + " image result(s) of request " + requestId,
                    log, e);
        } finally {
            l.unlock();
        }
    }

    @Override
    public List<ImageResult> images(String requestId) throws IOException {
        Objects.requireNonNull(requestId, "requestId");
        ensureOpen();
        if (!RequestIds.isValid(requestId)) {
            return List.of();
        }
        Path log = resultsFile(requestId);
        try {
            return List.copyOf(ResultsLog.read(log).values());
        } catch (IOException e) {
            throw PathErrors.wrap("could not read the image results of request " + requestId, log, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads every record file, oldest request first (then by id). A record that cannot be read or
     * parsed is logged at WARN and skipped; temporary files are not records.
     *
     * @throws IOException if the status directory itself cannot be listed
     */
    @Override
    public List<String> unfinished() throws IOException {
        ensureOpen();
        List<RequestRecord> open = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(statusDir, "*" + RECORD_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - RECORD_SUFFIX.length());
                if (!RequestIds.isValid(id) || !Files.isRegularFile(file)) {
                    LOG.warn("Ignoring {}: not a request record of this store", file);
                    continue;
                }
                try {
                    readRecord(id, file)
                            .filter(RequestRecord::needsWork)
                            .ifPresent(open::add);
                } catch (IOException e) {
                    LOG.warn("Skipping a request record that cannot be read: {}", e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw PathErrors.wrap("could not list the request records", statusDir, e);
        }
        open.sort(Comparator.comparing((RequestRecord r) -> r.status().createdAt()).thenComparing(RequestRecord::requestId));
        return open.stream().map(RequestRecord::requestId).toList();
    }

    /**
     * Releases the directory lock (for a store from {@link #open(Path)}). Afterwards every method
     * throws {@link IllegalStateException}. Idempotent. Close the service using the store first.
     */
    @Override
    public void close() {
        closed = true;
        if (lock != null) {
            lock.close();
        }
    }

    @Override
    public String toString() {
        return "FileStatusStore[" + statusDir + (isReadOnly() ? ", read-only" : "") + (closed ? ", closed" : "") + "]";
    }

    private Optional<RequestRecord> readRecord(String id, Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw PathErrors.wrap("could not read request " + id, file, e);
        }
        RequestRecord record;
        try {
            record = RecordJson.readRecord(bytes);
        } catch (IOException e) {
            throw new IOException("the record of request " + id + " is damaged (" + file + "): " + e.getMessage(), e);
        }
        if (!record.requestId().equals(id)) {
            throw new IOException("the record file " + file + " holds request " + record.requestId() + ", not " + id);
        }
        return Optional.of(record);
    }

    private void writeRecord(Path file, RequestRecord record, String what) throws IOException {
        byte[] json = RecordJson.write(record);
        try {
            AtomicFiles.write(file, out -> {
                out.write(json);
                out.write('\n');
            }, true);
        } catch (IOException e) {
            throw PathErrors.wrap(what, file, e);
        }
    }

    private void compactQuietly(String requestId) {
        Path log = resultsFile(requestId);
        ReentrantLock l = stripe(logLocks, requestId);
        l.lock();
        try {
            int kept = ResultsLog.compact(log, true);
            LOG.debug("Compacted the results of request {} to {} line(s)", requestId, kept);
        } catch (IOException e) {
            LOG.warn("Could not compact the results log {} (it stays valid, only longer): {}", log, e.toString());
        } finally {
            l.unlock();
        }
    }

    private Path recordFile(String id) {
        return statusDir.resolve(id + RECORD_SUFFIX);
    }

    private Path resultsFile(String id) {
        return statusDir.resolve(id + RESULTS_SUFFIX);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the status store in " + statusDir + " is closed");
        }
    }

    private void requireWritable() {
        ensureOpen();
        if (lock == null) {
            throw new UnsupportedOperationException("the status store in " + statusDir + " was opened read-only");
        }
    }

    private static ReentrantLock stripe(ReentrantLock[] locks, String id) {
        return locks[Math.floorMod(id.hashCode(), locks.length)];
    }

    private static ReentrantLock[] newLocks() {
        ReentrantLock[] locks = new ReentrantLock[STRIPES];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
        return locks;
    }
}
