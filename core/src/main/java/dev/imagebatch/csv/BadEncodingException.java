package dev.imagebatch.csv;

import java.nio.charset.CharacterCodingException;

/**
 * Bytes that are not UTF-8, found while decoding. An {@link java.io.IOException} so that it can
 * travel through the CSV parser, which wraps it; {@link RecordSource} unwraps it again.
 */
final class BadEncodingException extends CharacterCodingException {

    private final long line;
    private final String description;

    BadEncodingException(long line, String description) {
        this.line = line;
        this.description = description;
    }

    /** 1-based physical line of the offending bytes. */
    long line() {
        return line;
    }

    /** What is wrong, for people. */
    String description() {
        return description;
    }

    @Override
    public String getMessage() {
        return "line " + line + ": " + description;
    }
}
