package dev.imagebatch.fs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable, atomic file writes: the content goes to a temporary file in the target's directory, is
 * flushed and fsynced, then renamed over the target with an atomic move, and the directory is
 * fsynced where the operating system allows it. A reader sees the old file or the new one, never a
 * part of either; a crash leaves at most a temporary file behind.
 *
 * <p>Temporary files are named {@code <target-name>~<random>.tmp}. The {@code ~} never occurs in an
 * object key or a request id, so a temporary file can never be taken for an object or a record,
 * and {@link #isTempName(String)} recognises the leftovers of a crash.
 */
final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    /** Separates the target's name from the random part in a temporary file's name. */
    static final String TEMP_MARK = "~";
    /** Ends the name of every temporary file. */
    static final String TEMP_SUFFIX = ".tmp";

    private static final int MAX_NAME_IN_TEMP = 180;

    /** Writes the content of a file. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Whether {@code fileName} is the name of a temporary file made by this class. */
    static boolean isTempName(String fileName) {
        return fileName.contains(TEMP_MARK) && fileName.endsWith(TEMP_SUFFIX);
    }

    /**
     * Replaces {@code target} atomically with what {@code body} writes. The target's directory must
     * exist. On failure the temporary file is removed and the target keeps its previous content (or
     * stays absent). The JDK's exceptions are thrown as they are; callers add context.
     *
     * @param privateFile whether a new file should be readable by its owner only (on POSIX file
     *                    systems; elsewhere the platform default applies)
     */
    static void write(Path target, Body body, boolean privateFile) throws IOException {
        Path dir = target.getParent();
        String stem = target.getFileName().toString();
        if (stem.length() > MAX_NAME_IN_TEMP) {
            stem = stem.substring(0, MAX_NAME_IN_TEMP);
        }
        FileAttribute<?>[] attributes = privateFile ? privateAttributes(dir) : new FileAttribute<?>[0];
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(stem + TEMP_MARK
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + TEMP_SUFFIX);
            FileChannel channel;
            try {
                channel = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        attributes);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 10) {
                    continue;
                }
                throw e;
            }
            writeAndRename(channel, temp, target, body);
            syncDirectory(dir);
            return;
        }
    }

    private static void writeAndRename(FileChannel channel, Path temp, Path target, Body body) throws IOException {
        boolean moved = false;
        try {
            try (channel) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Creates {@code dir} and any missing parents, fsyncing the parent of each directory created so
     * that the new entries survive a crash. A regular file in the way fails with
     * {@link FileAlreadyExistsException} naming it.
     */
    static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path d : missing) {
            try {
                Files.createDirectory(d);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(d)) {
                    FileAlreadyExistsException inTheWay = new FileAlreadyExistsException(d.toString(), null,
                            "exists and is not a directory");
                    inTheWay.initCause(e);
                    throw inTheWay;
                }
                continue; // made by another thread meanwhile
            }
            if (d.getParent() != null) {
                syncDirectory(d.getParent());
            }
        }
    }

    /**
     * Fsyncs a directory so that renames and new entries in it are durable. Works on Linux and other
     * Unix-like systems; where a directory cannot be opened or forced (Windows, some file systems)
     * the failure is ignored, as nothing more can be done there.
     */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    /** Deletes a file, logging instead of throwing if that fails. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete temporary file {}: {}", file, e.toString());
        }
    }

    /** Attributes making a new file private to its owner, where the file system has POSIX permissions. */
    static FileAttribute<?>[] privateAttributes(Path dir) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }
}
