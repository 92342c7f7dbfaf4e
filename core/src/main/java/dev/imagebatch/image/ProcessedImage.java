package dev.imagebatch.image;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The result of {@link ImageCodec#process(byte[])}: a baseline JPEG and what it was made from.
 * Immutable and thread-safe: the bytes are copied in, and {@link #jpeg()} hands out a copy; use
 * {@link #size()} and {@link #openStream()} to avoid copying.
 *
 * @param jpeg         the encoded JPEG, never {@code null} or empty
 * @param width        width of the JPEG in pixels, as displayed (after EXIF orientation)
 * @param height       height of the JPEG in pixels, as displayed
 * @param sourceWidth  width of the source as displayed (after EXIF orientation)
 * @param sourceHeight height of the source as displayed
 * @param sourceFormat the format the source was decoded from, never {@code null}
 */
public record ProcessedImage(byte[] jpeg, int width, int height, int sourceWidth, int sourceHeight,
                             ImageFormat sourceFormat) {

    /** Media type of the encoded bytes. */
    public static final String MEDIA_TYPE = "image/jpeg";
    /** File extension (without dot) for the encoded bytes. */
    public static final String EXTENSION = "jpg";

    /**
     * @throws NullPointerException     if {@code jpeg} or {@code sourceFormat} is {@code null}
     * @throws IllegalArgumentException if {@code jpeg} is empty or a dimension is below 1
     */
    public ProcessedImage {
        Objects.requireNonNull(jpeg, "jpeg");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        if (jpeg.length == 0) {
            throw new IllegalArgumentException("jpeg must not be empty");
        }
        if (width < 1 || height < 1 || sourceWidth < 1 || sourceHeight < 1) {
            throw new IllegalArgumentException("dimensions must be positive, got " + width + "x" + height
                    + " from " + sourceWidth + "x" + sourceHeight);
        }
        jpeg = jpeg.clone();
    }

    /** A copy of the JPEG bytes. */
    @Override
    public byte[] jpeg() {
        return jpeg.clone();
    }

    /** Length of the JPEG in bytes. */
    public int size() {
        return jpeg.length;
    }

    /** A new stream over the JPEG bytes (no copy). */
    public InputStream openStream() {
        return new ByteArrayInputStream(jpeg);
    }

    /** Always {@value #MEDIA_TYPE}. */
    public String mediaType() {
        return MEDIA_TYPE;
    }

    /** Always {@value #EXTENSION}. */
    public String extension() {
        return EXTENSION;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessedImage other
                && width == other.width && height == other.height
                && sourceWidth == other.sourceWidth && sourceHeight == other.sourceHeight
                && sourceFormat == other.sourceFormat
                && Arrays.equals(jpeg, other.jpeg);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(jpeg), width, height, sourceWidth, sourceHeight, sourceFormat);
    }

    @Override
    public String toString() {
        return "ProcessedImage[" + width + "x" + height + " JPEG, " + jpeg.length + " bytes, from "
                + sourceFormat + " " + sourceWidth + "x" + sourceHeight + "]";
    }
}
