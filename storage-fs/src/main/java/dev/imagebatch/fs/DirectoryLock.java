package dev.imagebatch.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive {@link FileLock} on a lock file, held from {@link #acquire(Path)} to
 * {@link #close()}. It keeps a second writer (another process, or a second store in this JVM) off
 * one status directory. The operating system releases it when the process dies, even by
 * {@code SIGKILL}, so a crash never leaves a stale lock. The lock file itself is never deleted.
 */
final class DirectoryLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLock.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @throws IOException naming the lock file if it cannot be opened or another holder has it
     */
    static DirectoryLock acquire(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw PathErrors.wrap("could not open the lock file", file, e);
        }
        String problem;
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DirectoryLock(file, channel, lock);
            }
            problem = "another process has this status directory open";
        } catch (OverlappingFileLockException e) {
            problem = "a store in this JVM already has this status directory open";
        } catch (IOException e) {
            closeQuietly(channel);
            throw PathErrors.wrap("could not lock", file, e);
        }
        closeQuietly(channel);
        throw new IOException(problem + " (lock file " + file + "); a status directory has one writer at a time");
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            LOG.warn("Could not release the lock on {}: {}", file, e.toString());
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Could not close a lock file channel: {}", e.toString());
        }
    }
}
