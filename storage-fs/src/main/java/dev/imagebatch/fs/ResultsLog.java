package dev.imagebatch.fs;

import dev.imagebatch.ImageResult;
import dev.imagebatch.spi.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Collection;
import java.util.EnumSet;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only log of one request's image results: one {@link RecordJson#write(ImageResult)}
 * line per result, each ended by {@code \n}; for a position (row, index) the last line wins.
 *
 * <p>Appends are whole lines, fsynced before returning. A crash during an append can leave a last
 * line without its {@code \n}: readers ignore it, and {@link #repairTail(Path)} cuts it off before a
 * writer appends again. {@link #compact(Path, boolean)} rewrites the log atomically with one line per
 * position in row, index order.
 *
 * <p>Not synchronised: callers serialise writes to one log; concurrent readers are safe.
 */
final class ResultsLog {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsLog.class);
    private static final byte NEWLINE = '\n';

    private ResultsLog() {
    }

    /** Sort key of a result: row, then index. */
    private static long position(int row, int index) {
        return ((long) row << 32) | (index & 0xffffffffL);
    }

    /**
     * Appends one line per result and fsyncs. Creates the log if missing.
     *
     * @return whether the log was created by this call
     */
    static boolean append(Path log, Collection<ImageResult> results, boolean privateFile) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream(results.size() * 200);
        for (ImageResult result : results) {
            lines.write(RecordJson.write(result));
            lines.write(NEWLINE);
        }
        boolean created = !Files.exists(log);
        try (FileChannel channel = FileChannel.open(log,
                EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                privateFile ? AtomicFiles.privateAttributes(log.getParent()) : new FileAttribute<?>[0])) {
            ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        }
        return created;
    }

    /**
     * Cuts off a last line that has no {@code \n} (the remains of an append a crash interrupted).
     * A missing log is fine.
     *
     * @return how many bytes were cut off
     */
    static long repairTail(Path log) throws IOException {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long keep = lengthOfWholeLines(channel, size);
            if (keep == size) {
                return 0;
            }
            channel.truncate(keep);
            channel.force(true);
            LOG.warn("Dropped an incomplete last line ({} bytes) from {}, left by an interrupted write", size - keep, log);
            return size - keep;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /**
     * Every result in the log, by position; later lines replace earlier ones for the same position.
     * An incomplete last line is ignored; a complete line that does not parse is logged at WARN and
     * skipped (its image counts as not done). A missing log is empty.
     */
    static SortedMap<Long, ImageResult> read(Path log) throws IOException {
        SortedMap<Long, ImageResult> results = new TreeMap<>();
        InputStream raw;
        try {
            raw = Files.newInputStream(log);
        } catch (NoSuchFileException e) {
            return results;
        }
        try (InputStream in = raw) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            byte[] chunk = new byte[64 * 1024];
            int lineNumber = 0;
            int n;
            while ((n = in.read(chunk)) != -1) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == NEWLINE) {
                        line.write(chunk, from, i - from);
                        from = i + 1;
                        lineNumber++;
                        parseInto(results, line, lineNumber, log);
                        line.reset();
                    }
                }
                line.write(chunk, from, n - from);
            }
            if (line.size() > 0) {
                LOG.debug("Ignoring an incomplete last line ({} bytes) of {}", line.size(), log);
            }
        }
        return results;
    }

    /**
     * Rewrites the log atomically with one line per position, sorted. A missing log stays missing.
     *
     * @return the number of results kept
     */
    static int compact(Path log, boolean privateFile) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        SortedMap<Long, ImageResult> results = read(log);
        AtomicFiles.write(log, out -> {
            for (ImageResult result : results.values()) {
                out.write(RecordJson.write(result));
                out.write(NEWLINE);
            }
        }, privateFile);
        return results.size();
    }

    private static void parseInto(SortedMap<Long, ImageResult> results, ByteArrayOutputStream line, int lineNumber,
                                  Path log) {
        if (line.size() == 0) {
            return;
        }
        try {
            ImageResult result = RecordJson.readImage(line.toByteArray());
            results.put(position(result.row(), result.index()), result);
        } catch (IOException e) {
            LOG.warn("Skipping unreadable line {} of {}: {}", lineNumber, log, e.getMessage());
        }
    }

    /** The length of the prefix that ends with a newline (0 if there is none). */
    private static long lengthOfWholeLines(FileChannel channel, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - buffer.capacity());
            buffer.clear().limit((int) (end - start));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, start + buffer.position()) < 0) {
                    break;
                }
            }
            for (int i = buffer.position() - 1; i >= 0; i--) {
                if (buffer.get(i) == NEWLINE) {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }
}
