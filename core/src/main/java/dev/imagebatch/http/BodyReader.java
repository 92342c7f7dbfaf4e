package dev.imagebatch.http;

import dev.imagebatch.ErrorCode;
import java.io.IOException;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Reads a response body into memory, never holding more than the byte limit plus one segment.
 * The limit is enforced on the bytes actually received; a declared length above it only lets the
 * read fail earlier.
 */
final class BodyReader {

    private static final long SEGMENT = 8192;

    private BodyReader() {
    }

    /**
     * @return the body bytes
     * @throws FetchFailure {@code TOO_LARGE} or {@code EMPTY_BODY}
     * @throws IOException  if the transport fails while reading (classified by the caller)
     */
    static byte[] read(ResponseBody body, long maxBytes) throws FetchFailure, IOException {
        long declared = body.contentLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        while (source.read(buffer, SEGMENT) != -1) {
            if (buffer.size() > maxBytes) {
                throw tooLarge(maxBytes);
            }
        }
        if (buffer.size() == 0) {
            throw FetchFailure.permanent(ErrorCode.EMPTY_BODY, "the server sent an empty body", null);
        }
        return buffer.readByteArray();
    }

    private static FetchFailure tooLarge(long maxBytes) {
        return FetchFailure.permanent(ErrorCode.TOO_LARGE, "body is larger than the limit of " + maxBytes + " bytes", null);
    }
}
