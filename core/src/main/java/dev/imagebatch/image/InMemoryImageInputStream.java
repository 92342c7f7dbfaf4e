package dev.imagebatch.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@code ImageInputStream} over an image held in memory that stops readers which keep reading
 * after the end of the data.
 *
 * <p>Some readers treat the end of the data as an endless run of zero bits (the WebP lossless bit
 * reader does), so a small damaged file can make them decode padding for minutes: a 174-byte WebP
 * found by fuzzing kept a thread busy for over three minutes. Reading a little past the end is
 * normal (bit readers fill their buffers ahead), so a reader may read past the end as many times
 * as the image has bytes, and at least {@value #MIN_READS_PAST_END} times; the read after that
 * throws {@link ReadPastEndException}, which the codec reports as a decode error.
 *
 * <p>Not thread-safe, like every {@code ImageInputStream}.
 */
final class InMemoryImageInputStream extends ImageInputStreamImpl {

    /** Reads past the end any image may make, however small. */
    static final int MIN_READS_PAST_END = 1024;

    private final byte[] data;
    private final long readsPastEndAllowed;
    private long readsPastEnd;

    InMemoryImageInputStream(byte[] data) {
        this.data = Objects.requireNonNull(data, "data");
        this.readsPastEndAllowed = Math.max(MIN_READS_PAST_END, data.length);
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= data.length) {
            pastEnd();
            return -1;
        }
        return data[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(offset, length, buffer.length);
        bitOffset = 0;
        if (length == 0) {
            return 0;
        }
        if (streamPos >= data.length) {
            pastEnd();
            return -1;
        }
        int count = (int) Math.min(length, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, buffer, offset, count);
        streamPos += count;
        return count;
    }

    private void pastEnd() {
        if (++readsPastEnd > readsPastEndAllowed) {
            throw new ReadPastEndException(readsPastEnd, data.length);
        }
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public boolean isCached() {
        return true;
    }

    @Override
    public boolean isCachedMemory() {
        return true;
    }

    /** A reader kept reading long after the end of the data: the image is damaged or truncated. */
    static final class ReadPastEndException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        ReadPastEndException(long reads, int size) {
            super(new EOFException("the decoder read past the end of the " + size + "-byte image " + reads
                    + " times: the data is damaged or truncated"));
        }
    }
}
