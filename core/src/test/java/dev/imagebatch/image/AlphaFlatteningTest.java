package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import org.junit.jupiter.api.Test;

/** Transparency is composited onto white. */
class AlphaFlatteningTest {

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());

    @Test
    void transparentPngBecomesWhite() throws Exception {
        BufferedImage transparent = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB); // all 0x00000000
        BufferedImage decoded = codec.decodeToSrgb(Fixtures.png(transparent));
        assertThat(decoded.getRGB(5, 5) & 0xFFFFFF).isEqualTo(0xFFFFFF);

        BufferedImage output = Fixtures.read(codec.process(Fixtures.png(transparent)).jpeg());
        Fixtures.assertColour(Fixtures.mean(output, 0, 0, 5, 5), 0xFFFFFF, 1, "encoded");
    }

    @Test
    void halfTransparentRedOnWhiteIsPink() throws Exception {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, 0x80FF0000); // alpha 128
            }
        }
        BufferedImage decoded = codec.decodeToSrgb(Fixtures.png(image));
        // 255 * 128/255 + 255 * 127/255 = 255 for red; 0 * 128/255 + 255 * 127/255 = 127 for green and blue.
        assertThat(decoded.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xFF7F7F);
    }

    @Test
    void alphaIsCompositedPerPixelWithItsOwnCoverage() throws Exception {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFF000000); // opaque black
        image.setRGB(1, 0, 0x40000000); // a quarter-covered black
        image.setRGB(2, 0, 0x00123456); // fully transparent, whatever its colour
        BufferedImage decoded = codec.decodeToSrgb(Fixtures.png(image));
        assertThat(decoded.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(decoded.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xBFBFBF); // 255 * 191/255
        assertThat(decoded.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void transparentGifColourBecomesWhite() throws Exception {
        byte[] r = {0, (byte) 255};
        byte[] g = {0, 0};
        byte[] b = {0, 0};
        IndexColorModel palette = new IndexColorModel(1, 2, r, g, b, 0); // index 0 transparent
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY, palette);
        for (int x = 4; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                image.getRaster().setSample(x, y, 0, 1);
            }
        }
        BufferedImage decoded = codec.decodeToSrgb(Fixtures.write(image, "gif"));
        assertThat(decoded.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(decoded.getRGB(6, 1) & 0xFFFFFF).isEqualTo(0xFF0000);
    }

    @Test
    void greyWithAlphaPngIsCompositedToo() throws Exception {
        // 8-bit grey + alpha, written through a custom image type the PNG writer maps to colour type 4.
        var cs = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY);
        var model = new java.awt.image.ComponentColorModel(cs, true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        var raster = model.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {0, 255});
        raster.setPixel(1, 0, new int[] {0, 0});
        BufferedImage image = new BufferedImage(model, raster, false, null);
        byte[] png = Fixtures.png(image);
        assertThat(png[25]).as("PNG colour type").isEqualTo((byte) 4);
        BufferedImage decoded = codec.decodeToSrgb(png);
        assertThat(decoded.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(decoded.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }
}
