package dev.imagebatch.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a decoded image into a colour space whose samples can be read as sRGB values: images
 * in another RGB space (an embedded ICC profile such as Adobe RGB or Display P3, linear RGB),
 * CMYK or anything else are converted with their profile; sRGB, palette and greyscale images are
 * returned as they are (grey samples are taken as sRGB-encoded grey, as browsers do).
 * Stateless and thread-safe.
 */
final class ColorSpaceConverter {

    private static final Logger LOG = LoggerFactory.getLogger(ColorSpaceConverter.class);

    private ColorSpaceConverter() {
    }

    /** Whether the image's samples already are sRGB (or grey) values. */
    static boolean isSrgbCompatible(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        ColorSpace cs = cm.getColorSpace();
        return cm instanceof IndexColorModel
                || cs.isCS_sRGB()
                || (cs.getType() == ColorSpace.TYPE_GRAY && cs.getNumComponents() == 1);
    }

    /**
     * The image with sRGB samples: {@code image} itself when it already has them, else a converted
     * {@link BufferedImage#TYPE_INT_RGB} or {@code TYPE_INT_ARGB} copy. An RGB image whose profile
     * cannot be applied is returned unconverted (its samples are then read as sRGB).
     *
     * @throws RuntimeException from the colour management module when a non-RGB image cannot be
     *                          converted; the caller reports it as a decode error
     */
    static BufferedImage toSrgb(BufferedImage image) {
        if (isSrgbCompatible(image)) {
            return image;
        }
        ColorModel cm = image.getColorModel();
        int type = cm.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        BufferedImage target = new BufferedImage(image.getWidth(), image.getHeight(), type);
        try {
            new ColorConvertOp(null).filter(image, target);
            return target;
        } catch (RuntimeException e) {
            if (cm.getColorSpace().getType() == ColorSpace.TYPE_RGB) {
                LOG.debug("Colour profile could not be applied, reading samples as sRGB: {}", e.toString());
                return image;
            }
            throw e;
        }
    }
}
