package dev.imagebatch.image;

/**
 * The eight EXIF orientations (tag 274): how the stored pixels must be transformed to be shown
 * upright. {@link #apply} performs that transformation.
 */
enum Orientation {
    /** 1: stored upright. */
    NORMAL,
    /** 2: mirrored left to right. */
    MIRROR_HORIZONTAL,
    /** 3: upside down. */
    ROTATE_180,
    /** 4: mirrored top to bottom. */
    MIRROR_VERTICAL,
    /** 5: mirrored along the main diagonal (transpose). */
    TRANSPOSE,
    /** 6: must be turned 90 degrees clockwise. */
    ROTATE_90_CW,
    /** 7: mirrored along the anti-diagonal (transverse). */
    TRANSVERSE,
    /** 8: must be turned 90 degrees counter-clockwise. */
    ROTATE_270_CW;

    /** The orientation for an EXIF value; anything outside 1..8 counts as upright. */
    static Orientation fromExif(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    /** Whether width and height trade places. */
    boolean swapsSides() {
        return ordinal() >= TRANSPOSE.ordinal();
    }

    /** The upright image; {@code src} itself for {@link #NORMAL}. */
    RgbPixels apply(RgbPixels src) {
        if (this == NORMAL) {
            return src;
        }
        int w = src.width();
        int h = src.height();
        int[] in = src.rgb();
        RgbPixels out = swapsSides() ? RgbPixels.allocate(h, w) : RgbPixels.allocate(w, h);
        int[] dst = out.rgb();
        int ow = out.width();
        int oh = out.height();
        int last = (h - 1) * w; // index of the first pixel of the last source row
        // The source index of output pixel (x, y) is start + x * stepX + y * stepY.
        int start;
        int stepX;
        int stepY;
        switch (this) {
            case MIRROR_HORIZONTAL -> { start = w - 1; stepX = -1; stepY = w; }
            case ROTATE_180 -> { start = last + w - 1; stepX = -1; stepY = -w; }
            case MIRROR_VERTICAL -> { start = last; stepX = 1; stepY = -w; }
            case TRANSPOSE -> { start = 0; stepX = w; stepY = 1; }
            case ROTATE_90_CW -> { start = last; stepX = -w; stepY = 1; }
            case TRANSVERSE -> { start = last + w - 1; stepX = -w; stepY = -1; }
            case ROTATE_270_CW -> { start = w - 1; stepX = w; stepY = -1; }
            default -> throw new AssertionError(this);
        }
        for (int y = 0, o = 0; y < oh; y++) {
            int s = start + y * stepY;
            for (int x = 0; x < ow; x++, o++, s += stepX) {
                dst[o] = in[s];
            }
        }
        return out;
    }
}
