package dev.imagebatch.spi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes of one object to publish, with their media type: either held in memory (a processed
 * image) or read from a file (an output CSV that may be large). Immutable.
 */
public final class ObjectContent {

    private final byte[] bytes;
    private final Path file;
    private final String mediaType;
    private final long length;

    private ObjectContent(byte[] bytes, Path file, String mediaType, long length) {
        this.bytes = bytes;
        this.file = file;
        this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
        this.length = length;
    }

    /** Content held in memory; the array is copied. */
    public static ObjectContent ofBytes(byte[] bytes, String mediaType) {
        byte[] copy = Objects.requireNonNull(bytes, "bytes").clone();
        return new ObjectContent(copy, null, mediaType, copy.length);
    }

    /**
     * Content read from a file each time {@link #openStream()} is called. The file must stay
     * unchanged until publishing returns.
     *
     * @throws IOException if the file's size cannot be read
     */
    public static ObjectContent ofFile(Path file, String mediaType) throws IOException {
        Objects.requireNonNull(file, "file");
        return new ObjectContent(null, file, mediaType, Files.size(file));
    }

    /** The media type, for example {@code image/jpeg} or {@code text/csv; charset=utf-8}. */
    public String mediaType() {
        return mediaType;
    }

    /** Length in bytes. */
    public long length() {
        return length;
    }

    /** A new stream over the content; the caller closes it. */
    public InputStream openStream() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** The file behind this content, when it was made with {@link #ofFile}; lets backends upload from disk. */
    public java.util.Optional<Path> file() {
        return java.util.Optional.ofNullable(file);
    }

    @Override
    public String toString() {
        return "ObjectContent[" + mediaType + ", " + length + " bytes" + (file != null ? ", from " + file : "") + "]";
    }
}
