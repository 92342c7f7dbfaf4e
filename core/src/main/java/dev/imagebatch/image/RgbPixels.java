package dev.imagebatch.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * An opaque sRGB image as packed {@code 0xRRGGBB} ints, row by row: the working form between
 * decoding and encoding. The array is shared, not copied: each pipeline stage makes a new one.
 */
record RgbPixels(int width, int height, int[] rgb) {

    private static final int[] MASKS = {0xFF0000, 0xFF00, 0xFF};

    RgbPixels {
        if (width < 1 || height < 1 || rgb.length != width * height) {
            throw new IllegalArgumentException("bad pixel buffer " + width + "x" + height + " / " + rgb.length);
        }
    }

    static RgbPixels allocate(int width, int height) {
        return new RgbPixels(width, height, new int[Math.multiplyExact(width, height)]);
    }

    int get(int x, int y) {
        return rgb[y * width + x];
    }

    /** A {@link BufferedImage#TYPE_INT_RGB} view over the same array (no copy). */
    BufferedImage toBufferedImage() {
        DataBufferInt buffer = new DataBufferInt(rgb, rgb.length);
        WritableRaster raster = Raster.createPackedRaster(buffer, width, height, width, MASKS, null);
        return new BufferedImage(new DirectColorModel(24, MASKS[0], MASKS[1], MASKS[2]), raster, false, null);
    }
}
