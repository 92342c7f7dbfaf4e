package dev.imagebatch.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes UTF-8 strictly while knowing the physical line of every byte, which
 * {@link java.io.InputStreamReader} cannot tell: it loses the position of bad bytes and decodes
 * ahead of the CSV parser. Skips a UTF-8 byte order mark and refuses a UTF-16 one.
 *
 * <p>Bad bytes either raise a {@link BadEncodingException} (strict mode) or are reported to a
 * listener and replaced with U+FFFD so that validation can go on and find further problems.
 * Lines end at CR, LF or CR LF, as for the CSV parser. Not thread-safe.
 */
final class Utf8Reader extends Reader {

    /** Receives bad byte sequences in lenient mode. */
    interface InvalidBytesListener {
        void invalidBytes(long line, byte[] bytes);
    }

    static final String UTF16_MESSAGE = "UTF-16 is not supported; save the file as UTF-8";

    private static final int BUFFER_SIZE = 8192;

    private final InputStream in;
    private final InvalidBytesListener listener;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_SIZE).flip();
    private boolean started;
    private boolean endOfInput;
    private boolean finished;
    private BadEncodingException failure;
    private long line = 1;
    private boolean afterCr;

    private Utf8Reader(InputStream in, InvalidBytesListener listener) {
        this.in = Objects.requireNonNull(in, "in");
        this.listener = listener;
    }

    /** A reader that throws {@link BadEncodingException} at the first bad byte. */
    static Utf8Reader strict(InputStream in) {
        return new Utf8Reader(in, null);
    }

    /** A reader that reports bad bytes to {@code listener} and goes on. A UTF-16 BOM still throws. */
    static Utf8Reader lenient(InputStream in, InvalidBytesListener listener) {
        return new Utf8Reader(in, Objects.requireNonNull(listener, "listener"));
    }

    /** Whether {@code data} starts with a UTF-16 byte order mark (either byte order). */
    static boolean startsWithUtf16Bom(byte[] data) {
        return data.length >= 2
                && ((data[0] == (byte) 0xFE && data[1] == (byte) 0xFF)
                || (data[0] == (byte) 0xFF && data[1] == (byte) 0xFE));
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (failure != null) {
            throw failure;
        }
        if (!started) {
            start();
        }
        if (length == 0) {
            return 0;
        }
        if (finished) {
            return -1;
        }
        CharBuffer out = CharBuffer.wrap(target, offset, length);
        while (out.position() == offset) {
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                // Bad bytes come after everything in 'out'; handing those chars out first keeps
                // 'line' exact when the bad bytes are handled on the next call.
                if (out.position() > offset) {
                    break;
                }
                handleInvalid(result.length(), out);
            } else if (result.isOverflow()) {
                break;
            } else if (endOfInput) {
                decoder.flush(out);
                finished = true;
                break;
            } else {
                fill();
            }
        }
        int count = out.position() - offset;
        countLines(target, offset, count);
        return count == 0 ? -1 : count;
    }

    private void start() throws IOException {
        started = true;
        while (!endOfInput && bytes.remaining() < 3) {
            fill();
        }
        byte[] head = new byte[Math.min(3, bytes.remaining())];
        bytes.get(bytes.position(), head);
        if (startsWithUtf16Bom(head)) {
            failure = new BadEncodingException(1, UTF16_MESSAGE);
            throw failure;
        }
        if (head.length == 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF) {
            bytes.position(bytes.position() + 3);
        }
    }

    private void handleInvalid(int length, CharBuffer out) throws BadEncodingException {
        byte[] bad = new byte[length];
        bytes.get(bad);
        if (listener == null) {
            failure = new BadEncodingException(line, describeInvalid(bad));
            throw failure;
        }
        listener.invalidBytes(line, bad);
        out.put('\uFFFD');
    }

    /** {@code "not valid UTF-8 (byte 0xE9); save the file as UTF-8"}. */
    static String describeInvalid(byte[] bad) {
        StringBuilder text = new StringBuilder("not valid UTF-8 (byte").append(bad.length == 1 ? "" : "s");
        for (byte b : bad) {
            text.append(String.format(" 0x%02X", b & 0xFF));
        }
        return text.append("); save the file as UTF-8").toString();
    }

    private void fill() throws IOException {
        bytes.compact();
        int read = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (read < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + read);
        }
        bytes.flip();
    }

    private void countLines(char[] chars, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            char c = chars[i];
            if (c == '\r') {
                line++;
            } else if (c == '\n' && !afterCr) {
                line++;
            }
            afterCr = c == '\r';
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
