package dev.imagebatch.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * An opaque sRGB image as interleaved blue, green, red bytes, row by row without padding: the
 * layout the JDK's JPEG writer takes without converting pixel by pixel. The array may be longer
 * than {@code width * height * 3} (a reused buffer); the bytes past that are not part of the image.
 * The array is shared, not copied.
 */
record BgrPixels(int width, int height, byte[] bgr) {

    private static final int[] BGR_OFFSETS = {2, 1, 0};
    private static final ColorModel SRGB_BYTES = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
            new int[] {8, 8, 8}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);

    BgrPixels {
        if (width < 1 || height < 1 || bgr.length / 3 / width < height) {
            throw new IllegalArgumentException("bad pixel buffer " + width + "x" + height + " / " + bgr.length);
        }
    }

    /**
     * A {@link BufferedImage#TYPE_3BYTE_BGR} image over the same array (no copy).
     */
    BufferedImage toBufferedImage() {
        int length = width * height * 3;
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(bgr, length), width, height,
                width * 3, 3, BGR_OFFSETS, null);
        return new BufferedImage(SRGB_BYTES, raster, false, null);
    }

    /** The same pixels as packed ints, in a new array. */
    RgbPixels toRgb() {
        RgbPixels out = RgbPixels.allocate(width, height);
        int[] rgb = out.rgb();
        for (int i = 0, j = 0; i < rgb.length; i++, j += 3) {
            rgb[i] = (bgr[j + 2] & 0xFF) << 16 | (bgr[j + 1] & 0xFF) << 8 | bgr[j] & 0xFF;
        }
        return out;
    }

    /** The pixels of {@code rgb} in this layout, in {@code buffer} (at least {@code width * height * 3} bytes). */
    static BgrPixels of(RgbPixels rgb, byte[] buffer) {
        BgrPixels out = new BgrPixels(rgb.width(), rgb.height(), buffer);
        int[] src = rgb.rgb();
        for (int i = 0, j = 0; i < src.length; i++, j += 3) {
            int p = src[i];
            buffer[j] = (byte) p;
            buffer[j + 1] = (byte) (p >> 8);
            buffer[j + 2] = (byte) (p >> 16);
        }
        return out;
    }
}
