package dev.imagebatch.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded image whose samples are to be read as sRGB or grey values (the output of
 * {@link ColorSpaceConverter}) into opaque
 * 8-bit {@link RgbPixels}, compositing any transparency onto white. Samples are read straight
 * from the raster (no per-pixel colour model calls on the common 8-bit layouts), and higher bit
 * depths are reduced with rounding after compositing at full precision. Stateless.
 */
final class WhiteFlattener {

    private WhiteFlattener() {
    }

    static RgbPixels flatten(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm instanceof IndexColorModel icm) {
            return fromIndexed(icm, raster);
        }
        int colours = cm.getNumColorComponents();
        if (cm instanceof ComponentColorModel && (colours == 1 || colours == 3)) {
            if (isInterleavedBytes(cm, raster)) {
                return fromInterleavedBytes(cm, raster);
            }
            if (hasIntegerSamplesUpTo16Bits(cm, raster)) {
                return fromSamples(cm, raster);
            }
        }
        return fromArgb(image);
    }

    /** 8 bits per sample in one byte array (JPEG, most PNG, BMP, WebP, TIFF images). */
    private static boolean isInterleavedBytes(ColorModel cm, Raster raster) {
        if (!(raster.getSampleModel() instanceof ComponentSampleModel csm)
                || !(raster.getDataBuffer() instanceof DataBufferByte)
                || raster.getDataBuffer().getNumBanks() != 1) {
            return false;
        }
        for (int bank : csm.getBankIndices()) {
            if (bank != 0) {
                return false;
            }
        }
        for (int size : cm.getComponentSize()) {
            if (size != 8) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasIntegerSamplesUpTo16Bits(ColorModel cm, Raster raster) {
        int type = raster.getDataBuffer().getDataType();
        if (type != DataBuffer.TYPE_BYTE && type != DataBuffer.TYPE_USHORT && type != DataBuffer.TYPE_INT) {
            return false;
        }
        for (int size : cm.getComponentSize()) {
            if (size < 1 || size > 16) {
                return false;
            }
        }
        return true;
    }

    private static RgbPixels fromInterleavedBytes(ColorModel cm, Raster raster) {
        ComponentSampleModel csm = (ComponentSampleModel) raster.getSampleModel();
        DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
        byte[] data = buffer.getData();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] offsets = csm.getBandOffsets();
        int pixelStride = csm.getPixelStride();
        int scanline = csm.getScanlineStride();
        int origin = buffer.getOffset()
                + (raster.getMinY() - raster.getSampleModelTranslateY()) * scanline
                + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
        boolean grey = cm.getNumColorComponents() == 1;
        boolean alpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        int o0 = offsets[0];
        int o1 = grey ? o0 : offsets[1];
        int o2 = grey ? o0 : offsets[2];
        int oa = alpha ? offsets[grey ? 1 : 3] : 0;
        RgbPixels out = RgbPixels.allocate(w, h);
        int[] rgb = out.rgb();
        for (int y = 0, o = 0; y < h; y++) {
            int p = origin + y * scanline;
            for (int x = 0; x < w; x++, o++, p += pixelStride) {
                int r = data[p + o0] & 0xFF;
                int g = data[p + o1] & 0xFF;
                int b = data[p + o2] & 0xFF;
                if (alpha) {
                    int a = data[p + oa] & 0xFF;
                    if (a != 255) {
                        r = onWhite8(r, a, premultiplied);
                        g = onWhite8(g, a, premultiplied);
                        b = onWhite8(b, a, premultiplied);
                    }
                }
                rgb[o] = r << 16 | g << 8 | b;
            }
        }
        return out;
    }

    /** Any integer layout and depth up to 16 bits (16-bit PNG, packed grey...). */
    private static RgbPixels fromSamples(ColorModel cm, Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        boolean grey = cm.getNumColorComponents() == 1;
        boolean alpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        long[] max = new long[bands];
        for (int i = 0; i < bands; i++) {
            max[i] = (1L << cm.getComponentSize(i)) - 1;
        }
        int alphaBand = grey ? 1 : 3;
        long alphaMax = alpha ? max[alphaBand] : 1;
        int[] row = new int[w * bands];
        RgbPixels out = RgbPixels.allocate(w, h);
        int[] rgb = out.rgb();
        for (int y = 0, o = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0, s = 0; x < w; x++, o++, s += bands) {
                long a = alpha ? row[s + alphaBand] : alphaMax;
                int r = onWhite(row[s], max[0], a, alphaMax, premultiplied);
                int g = grey ? r : onWhite(row[s + 1], max[1], a, alphaMax, premultiplied);
                int b = grey ? r : onWhite(row[s + 2], max[2], a, alphaMax, premultiplied);
                rgb[o] = r << 16 | g << 8 | b;
            }
        }
        return out;
    }

    /** Palette images: each palette entry is flattened once. */
    private static RgbPixels fromIndexed(IndexColorModel icm, Raster raster) {
        int size = icm.getMapSize();
        int[] palette = new int[size];
        icm.getRGBs(palette);
        for (int i = 0; i < size; i++) {
            palette[i] = argbOnWhite(palette[i]);
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] row = new int[w];
        RgbPixels out = RgbPixels.allocate(w, h);
        int[] rgb = out.rgb();
        for (int y = 0, o = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++, o++) {
                int index = row[x];
                rgb[o] = index < size ? palette[index] : 0; // out-of-palette indices show black
            }
        }
        return out;
    }

    /** Everything else (packed ints, float samples...): through the colour model's sRGB values. */
    private static RgbPixels fromArgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        RgbPixels out = RgbPixels.allocate(w, h);
        int[] rgb = out.rgb();
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, rgb, y * w, w);
        }
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = argbOnWhite(rgb[i]);
        }
        return out;
    }

    /** A non-premultiplied ARGB value composited onto white, as opaque {@code 0xRRGGBB}. */
    static int argbOnWhite(int argb) {
        int a = argb >>> 24;
        if (a == 255) {
            return argb & 0xFFFFFF;
        }
        int r = onWhite8((argb >> 16) & 0xFF, a, false);
        int g = onWhite8((argb >> 8) & 0xFF, a, false);
        int b = onWhite8(argb & 0xFF, a, false);
        return r << 16 | g << 8 | b;
    }

    /** {@code c * a + 255 * (1 - a)} in 8 bits, rounded; {@code c} already multiplied by a if premultiplied. */
    private static int onWhite8(int c, int a, boolean premultiplied) {
        if (premultiplied) {
            return Math.min(255, c + 255 - a);
        }
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    /** The same at any depth: the 8-bit result of compositing {@code c / cMax} with alpha {@code a / aMax}. */
    private static int onWhite(long c, long cMax, long a, long aMax, boolean premultiplied) {
        long colour = premultiplied ? c * aMax : c * a;
        long numerator = 255 * (colour + cMax * (aMax - a));
        long denominator = cMax * aMax;
        return (int) Math.min(255, (2 * numerator + denominator) / (2 * denominator));
    }
}
