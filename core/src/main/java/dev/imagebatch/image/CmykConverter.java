package dev.imagebatch.image;

import java.awt.image.Raster;

/**
 * Converts the raw samples of a CMYK or YCCK JPEG that embeds no ICC profile to sRGB with the
 * plain device formula {@code R = (1 - C)(1 - K)} used by browsers and common image libraries,
 * so such files look the same everywhere instead of depending on which "generic CMYK" profile
 * the platform happens to install.
 *
 * <p>Files with an Adobe APP14 segment store inverted values (as Photoshop writes them): a stored
 * sample is {@code 255 - ink}. YCCK files first undo the YCbCr transform of the C, M, Y channels.
 * Stateless.
 */
final class CmykConverter {

    private CmykConverter() {
    }

    /**
     * @param raw            the four undecoded-colour bands as the JPEG decoder produced them
     * @param adobeTransform the APP14 transform, or -1 if the file has no APP14 segment
     */
    static RgbPixels toRgb(Raster raw, int adobeTransform) {
        int w = raw.getWidth();
        int h = raw.getHeight();
        boolean ycck = adobeTransform == JpegColourLayout.ADOBE_YCCK;
        boolean inverted = adobeTransform >= 0;
        RgbPixels out = RgbPixels.allocate(w, h);
        int[] rgb = out.rgb();
        int[] row = new int[w * 4];
        for (int y = 0, o = 0; y < h; y++) {
            raw.getPixels(raw.getMinX(), raw.getMinY() + y, w, 1, row);
            for (int x = 0, s = 0; x < w; x++, o++, s += 4) {
                int c = row[s];
                int m = row[s + 1];
                int ye = row[s + 2];
                int k = row[s + 3];
                if (ycck) {
                    // YCbCr -> "RGB" gives the complement of the stored (inverted) C, M, Y.
                    int luma = c;
                    int cb = m - 128;
                    int cr = ye - 128;
                    c = 255 - clamp(luma + 1.402 * cr);
                    m = 255 - clamp(luma - 0.344136 * cb - 0.714136 * cr);
                    ye = 255 - clamp(luma + 1.772 * cb);
                }
                if (!inverted) {
                    c = 255 - c;
                    m = 255 - m;
                    ye = 255 - ye;
                    k = 255 - k;
                }
                // Now each value is 255 - ink: R = (255 - C)(255 - K) / 255.
                rgb[o] = mul(c, k) << 16 | mul(m, k) << 8 | mul(ye, k);
            }
        }
        return out;
    }

    private static int mul(int a, int b) {
        return (a * b + 127) / 255;
    }

    private static int clamp(double v) {
        long rounded = Math.round(v);
        return (int) Math.max(0, Math.min(255, rounded));
    }
}
