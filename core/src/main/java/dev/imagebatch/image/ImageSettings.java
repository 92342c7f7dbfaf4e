package dev.imagebatch.image;

import java.util.Objects;

/**
 * How {@link ImageCodec} compresses images. Immutable and thread-safe; build one with
 * {@link #builder()} or take {@link #defaults()}.
 *
 * <ul>
 *   <li>{@code scale} (default {@value #DEFAULT_SCALE}): factor applied to both sides, in
 *       {@code (0, 1]}. Each side becomes {@code max(1, round(side * scale))} with halves rounded
 *       up (see {@link #scaledLength(int)}).</li>
 *   <li>{@code jpegQuality} (default {@value #DEFAULT_JPEG_QUALITY}, i.e. "quality 50"): the JPEG
 *       writer's quality in {@code [0, 1]}.</li>
 *   <li>{@code maxPixels} (default {@value #DEFAULT_MAX_PIXELS}): images whose header declares
 *       more than this many pixels ({@code width * height}) are refused before decoding.</li>
 *   <li>{@code retainedBytesPerThread} (default {@value #DEFAULT_RETAINED_BYTES_PER_THREAD}, 64 MiB):
 *       working arrays (coefficients, planes, pixels for the writer) each thread keeps between
 *       images to reuse them instead of allocating 20-30 MB per image; softly referenced, so the
 *       collector takes them back from idle threads when memory runs short. Enough for images of
 *       about 18 megapixels; larger images allocate what exceeds it. 0 keeps nothing.</li>
 * </ul>
 */
public final class ImageSettings {

    /** Default scale factor: half width and half height. */
    public static final double DEFAULT_SCALE = 0.5;
    /** Default JPEG quality: 0.5, the classic "quality 50". */
    public static final float DEFAULT_JPEG_QUALITY = 0.5f;
    /** Default pixel limit: 50 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    /** Default working memory a thread keeps between images: 64 MiB. */
    public static final long DEFAULT_RETAINED_BYTES_PER_THREAD = 64L << 20;

    private static final ImageSettings DEFAULTS = builder().build();

    private final double scale;
    private final float jpegQuality;
    private final long maxPixels;
    private final long retainedBytesPerThread;

    private ImageSettings(Builder b) {
        this.scale = b.scale;
        this.jpegQuality = b.jpegQuality;
        this.maxPixels = b.maxPixels;
        this.retainedBytesPerThread = b.retainedBytesPerThread;
    }

    /** The default settings: scale 0.5, JPEG quality 0.5, at most 50 megapixels. Never {@code null}. */
    public static ImageSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder().scale(scale).jpegQuality(jpegQuality).maxPixels(maxPixels)
                .retainedBytesPerThread(retainedBytesPerThread);
    }

    /** Factor applied to width and height, in {@code (0, 1]}. */
    public double scale() {
        return scale;
    }

    /** JPEG writer quality in {@code [0, 1]}. */
    public float jpegQuality() {
        return jpegQuality;
    }

    /** The largest {@code width * height} a header may declare; larger images are refused. */
    public long maxPixels() {
        return maxPixels;
    }

    /** Bytes of working arrays each thread keeps between images for reuse; 0 keeps none. */
    public long retainedBytesPerThread() {
        return retainedBytesPerThread;
    }

    /**
     * The length of one side after scaling: {@code max(1, round(sourceLength * scale))}, where a
     * fractional part of exactly one half rounds up. So with scale 0.5, 1 stays 1, 3 becomes 2,
     * 5 becomes 3 and 4000 becomes 2000. The result never exceeds {@code sourceLength}.
     *
     * @param sourceLength a side of the source image, at least 1
     * @return the scaled side, between 1 and {@code sourceLength}
     * @throws IllegalArgumentException if {@code sourceLength < 1}
     */
    public int scaledLength(int sourceLength) {
        if (sourceLength < 1) {
            throw new IllegalArgumentException("sourceLength must be at least 1, got " + sourceLength);
        }
        long rounded = (long) Math.floor(sourceLength * scale + 0.5);
        return (int) Math.max(1, Math.min(sourceLength, rounded));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSettings other
                && Double.compare(scale, other.scale) == 0
                && Float.compare(jpegQuality, other.jpegQuality) == 0
                && maxPixels == other.maxPixels
                && retainedBytesPerThread == other.retainedBytesPerThread;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scale, jpegQuality, maxPixels, retainedBytesPerThread);
    }

    @Override
    public String toString() {
        return "ImageSettings[scale=" + scale + ", jpegQuality=" + jpegQuality + ", maxPixels=" + maxPixels
                + ", retainedBytesPerThread=" + retainedBytesPerThread + "]";
    }

    /**
     * Builds {@link ImageSettings}. Each setter validates its argument at once and throws
     * {@link IllegalArgumentException} naming the setting and the rejected value. Not thread-safe.
     */
    public static final class Builder {
        private double scale = DEFAULT_SCALE;
        private float jpegQuality = DEFAULT_JPEG_QUALITY;
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private long retainedBytesPerThread = DEFAULT_RETAINED_BYTES_PER_THREAD;

        private Builder() {
        }

        /**
         * @param scale factor for both sides, {@code 0 < scale <= 1}
         * @throws IllegalArgumentException if out of range or not a number
         */
        public Builder scale(double scale) {
            if (!(scale > 0 && scale <= 1)) {
                throw new IllegalArgumentException("scale must be in (0, 1], got " + scale);
            }
            this.scale = scale;
            return this;
        }

        /**
         * @param jpegQuality JPEG quality, {@code 0 <= jpegQuality <= 1} (0.5 is "quality 50")
         * @throws IllegalArgumentException if out of range or not a number
         */
        public Builder jpegQuality(float jpegQuality) {
            if (!(jpegQuality >= 0f && jpegQuality <= 1f)) {
                throw new IllegalArgumentException("jpegQuality must be in [0, 1], got " + jpegQuality);
            }
            this.jpegQuality = jpegQuality;
            return this;
        }

        /**
         * @param maxPixels the largest accepted {@code width * height}, from 1 to
         *                  {@link Integer#MAX_VALUE} (a Java array cannot hold more pixels)
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxPixels(long maxPixels) {
            if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxPixels must be in [1, " + Integer.MAX_VALUE + "], got " + maxPixels);
            }
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * @param retainedBytesPerThread bytes of working arrays each thread keeps between images,
         *                               {@code >= 0}; 0 allocates them afresh for every image
         * @throws IllegalArgumentException if negative
         */
        public Builder retainedBytesPerThread(long retainedBytesPerThread) {
            if (retainedBytesPerThread < 0) {
                throw new IllegalArgumentException("retainedBytesPerThread must be at least 0, got "
                        + retainedBytesPerThread);
            }
            this.retainedBytesPerThread = retainedBytesPerThread;
            return this;
        }

        /** The settings; never {@code null}. The builder may be reused. */
        public ImageSettings build() {
            return new ImageSettings(this);
        }
    }
}
