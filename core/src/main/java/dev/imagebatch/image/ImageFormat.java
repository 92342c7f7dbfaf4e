package dev.imagebatch.image;

/**
 * The kind of image a byte array holds, as recognised from its leading bytes by
 * {@link ImageCodec#sniff(byte[])}.
 *
 * <p>Formats for which {@link #isSupported()} is {@code true} are decoded by {@link ImageCodec};
 * the others are recognised only so that they can be refused with a precise reason.
 */
public enum ImageFormat {
    /** JPEG / JFIF / Exif, baseline or progressive, including CMYK and YCCK. */
    JPEG(true, "image/jpeg"),
    /** PNG, any colour type and bit depth. */
    PNG(true, "image/png"),
    /** GIF 87a/89a; only the first frame is used. */
    GIF(true, "image/gif"),
    /** Windows / OS/2 bitmap. */
    BMP(true, "image/bmp"),
    /** WebP, lossy or lossless. */
    WEBP(true, "image/webp"),
    /** TIFF or BigTIFF; only the first page is used. */
    TIFF(true, "image/tiff"),
    /** SVG vector graphics: recognised, deliberately not rendered. */
    SVG(false, "image/svg+xml"),
    /** AVIF (AV1 in an ISO BMFF container): recognised, not decoded. */
    AVIF(false, "image/avif"),
    /** HEIC/HEIF (HEVC in an ISO BMFF container): recognised, not decoded. */
    HEIC(false, "image/heic"),
    /** JPEG XL (bare code stream or container): recognised, not decoded. */
    JPEG_XL(false, "image/jxl"),
    /** Not a recognised image format (HTML, text, empty, garbage...). */
    UNKNOWN(false, "application/octet-stream");

    private final boolean supported;
    private final String mediaType;

    ImageFormat(boolean supported, String mediaType) {
        this.supported = supported;
        this.mediaType = mediaType;
    }

    /** Whether {@link ImageCodec} decodes this format. */
    public boolean isSupported() {
        return supported;
    }

    /** Whether this is an image format at all, supported or not ({@code false} only for {@link #UNKNOWN}). */
    public boolean isImage() {
        return this != UNKNOWN;
    }

    /** The usual media type of the format, for messages and logs; never {@code null}. */
    public String mediaType() {
        return mediaType;
    }
}
