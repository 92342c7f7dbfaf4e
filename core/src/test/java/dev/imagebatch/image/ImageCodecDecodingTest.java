package dev.imagebatch.image;

import static dev.imagebatch.image.Fixtures.BLUE;
import static dev.imagebatch.image.Fixtures.GREEN;
import static dev.imagebatch.image.Fixtures.RED;
import static dev.imagebatch.image.Fixtures.YELLOW;
import static dev.imagebatch.image.Fixtures.assertColour;
import static dev.imagebatch.image.Fixtures.quadrantMean;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each supported format and colour layout decodes to the right sRGB pixels. */
class ImageCodecDecodingTest {

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());

    private static BufferedImage fourColours() {
        return Fixtures.quadrants(40, 30, RED, GREEN, BLUE, YELLOW);
    }

    private void assertFourColours(BufferedImage decoded, double tolerance) {
        assertColour(quadrantMean(decoded, 0), RED, tolerance, "top-left");
        assertColour(quadrantMean(decoded, 1), GREEN, tolerance, "top-right");
        assertColour(quadrantMean(decoded, 2), BLUE, tolerance, "bottom-left");
        assertColour(quadrantMean(decoded, 3), YELLOW, tolerance, "bottom-right");
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp", "gif", "tiff"})
    void decodesLosslessFormatsExactly(String format) throws Exception {
        BufferedImage decoded = codec.decodeToSrgb(Fixtures.write(fourColours(), format));
        assertThat(decoded.getWidth()).isEqualTo(40);
        assertThat(decoded.getHeight()).isEqualTo(30);
        assertFourColours(decoded, 0);
    }

    @Test
    void decodesRgbJpeg() throws Exception {
        assertFourColours(codec.decodeToSrgb(Fixtures.jpeg(fourColours(), 0.95f)), 6);
    }

    @Test
    void decodesProgressiveJpeg() throws Exception {
        byte[] progressive = Fixtures.write(fourColours(), "jpeg", p -> p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));
        assertFourColours(codec.decodeToSrgb(progressive), 6);
    }

    @Test
    void decodesGreyJpegAndPngWithoutShiftingGreyLevels() throws Exception {
        BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = grey.getRaster();
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                raster.setSample(x, y, 0, 100);
            }
        }
        assertColour(Fixtures.mean(codec.decodeToSrgb(Fixtures.png(grey)), 0, 0, 16, 16), 0x646464, 0, "grey PNG");
        assertColour(Fixtures.mean(codec.decodeToSrgb(Fixtures.jpeg(grey, 0.95f)), 0, 0, 16, 16), 0x646464, 1.5, "grey JPEG");
    }

    @Test
    void decodesSixteenBitGreyPngRoundingToEightBits() throws Exception {
        BufferedImage grey16 = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] levels = {0x0000, 0x807F, 0x8080, 0xFFFF}; // 0x807F / 257 = 127.99..., 0x8080 / 257 = 128
        for (int x = 0; x < 4; x++) {
            grey16.getRaster().setSample(x, 0, 0, levels[x]);
        }
        BufferedImage decoded = codec.decodeToSrgb(Fixtures.png(grey16));
        assertThat(new int[] {decoded.getRGB(0, 0) & 0xFF, decoded.getRGB(1, 0) & 0xFF,
                decoded.getRGB(2, 0) & 0xFF, decoded.getRGB(3, 0) & 0xFF}).containsExactly(0, 128, 128, 255);
    }

    @Test
    void decodesPalettePngWithTransparentEntryOntoWhite() throws Exception {
        byte[] r = {(byte) 255, 0, 0};
        byte[] g = {0, 0, 0};
        byte[] b = {0, (byte) 255, 0};
        byte[] a = {(byte) 255, (byte) 255, 0};
        IndexColorModel palette = new IndexColorModel(2, 3, r, g, b, a);
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        for (int x = 0; x < 3; x++) {
            indexed.getRaster().setSample(x, 0, 0, x);
        }
        BufferedImage decoded = codec.decodeToSrgb(Fixtures.png(indexed));
        assertThat(decoded.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(decoded.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThat(decoded.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void decodesInterlacedPng() throws Exception {
        byte[] interlaced = Fixtures.write(fourColours(), "png", p -> p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));
        assertThat(interlaced[28]).as("IHDR interlace method").isEqualTo((byte) 1);
        assertFourColours(codec.decodeToSrgb(interlaced), 0);
    }

    @Test
    void usesTheFirstFrameOfAnAnimatedGif() throws Exception {
        byte[] gif = multiFrame("gif", Fixtures.solid(20, 20, RED), Fixtures.solid(20, 20, BLUE));
        assertColour(Fixtures.mean(codec.decodeToSrgb(gif), 0, 0, 20, 20), RED, 0, "first frame");
        assertThat(codec.process(gif).width()).isEqualTo(10);
    }

    @Test
    void usesTheFirstPageOfAMultiPageTiff() throws Exception {
        byte[] tiff = multiFrame("tiff", Fixtures.solid(20, 20, GREEN), Fixtures.solid(30, 30, BLUE));
        BufferedImage decoded = codec.decodeToSrgb(tiff);
        assertThat(decoded.getWidth()).isEqualTo(20);
        assertColour(Fixtures.mean(decoded, 0, 0, 20, 20), GREEN, 0, "first page");
    }

    @Test
    void decodesLossyWebp() throws Exception {
        BufferedImage decoded = codec.decodeToSrgb(TestResources.bytes("image/fixtures/quadrants-lossy_64x48.webp"));
        assertThat(decoded.getWidth()).isEqualTo(64);
        assertThat(decoded.getHeight()).isEqualTo(48);
        assertFourColours(decoded, 12);
    }

    @Test
    void decodesLosslessWebpWithAlphaOntoWhite() throws Exception {
        BufferedImage decoded = codec.decodeToSrgb(TestResources.bytes("image/fixtures/quadrants-lossless-alpha_64x48.webp"));
        assertColour(quadrantMean(decoded, 0), RED, 0, "top-left");
        assertColour(quadrantMean(decoded, 1), 0xFFFFFF, 0, "transparent top-right");
        assertColour(quadrantMean(decoded, 2), BLUE, 0, "bottom-left");
        assertColour(quadrantMean(decoded, 3), YELLOW, 0, "bottom-right");
    }

    @Test
    void decodesLossyWebpWithAlphaOntoWhite() throws Exception {
        BufferedImage decoded = codec.decodeToSrgb(TestResources.bytes("image/fixtures/quadrants-lossy-alpha_64x48.webp"));
        assertColour(quadrantMean(decoded, 0), RED, 12, "top-left");
        assertColour(quadrantMean(decoded, 1), 0xFFFFFF, 3, "transparent top-right");
        assertColour(quadrantMean(decoded, 3), YELLOW, 12, "bottom-right");
    }

    @Test
    void acceptsJpegWithTruncatedTailKeepingWhatWasDecoded() throws Exception {
        BufferedImage picture = Fixtures.quadrants(256, 256, RED, GREEN, BLUE, YELLOW);
        byte[] jpeg = Fixtures.jpeg(picture, 0.9f);
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 7 / 10);

        BufferedImage decoded = codec.decodeToSrgb(truncated);
        assertThat(decoded.getWidth()).isEqualTo(256);
        assertColour(Fixtures.mean(decoded, 16, 16, 96, 96), RED, 2, "top-left, decoded before the cut");
        assertColour(Fixtures.mean(decoded, 144, 16, 96, 96), GREEN, 2, "top-right, decoded before the cut");
        double[] lost = Fixtures.mean(decoded, 16, 144, 96, 96);
        assertThat(lost[2]).as("blue of the bottom-left quadrant, which lies beyond the cut").isLessThan(200);
        assertThat(codec.process(truncated).width()).isEqualTo(128);
    }

    @Test
    void keepsTheColoursOfACmykJpegWithoutProfile() throws Exception {
        // The same photograph stored once as CMYK (Adobe marker, no ICC profile) and once as RGB
        // (with EXIF orientation 6, so its upright form is the CMYK image turned clockwise).
        BufferedImage cmyk = codec.decodeToSrgb(TestResources.bytes("image/fixtures/fig-cmyk_1200x812.jpg"));
        BufferedImage rgbUpright = codec.decodeToSrgb(TestResources.bytes("image/fixtures/fig-exif-orientation6_1200x812.jpg"));
        assertThat(cmyk.getWidth()).isEqualTo(1200);
        assertThat(rgbUpright.getWidth()).isEqualTo(812);

        int w = cmyk.getWidth();
        int h = cmyk.getHeight();
        double[] cmykSum = new double[3];
        double[] rgbSum = new double[3];
        double absoluteDifference = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = Fixtures.rgb(cmyk.getRGB(x, y));
                int[] r = Fixtures.rgb(rgbUpright.getRGB(h - 1 - y, x)); // undo the clockwise turn
                for (int k = 0; k < 3; k++) {
                    cmykSum[k] += c[k];
                    rgbSum[k] += r[k];
                    absoluteDifference += Math.abs(c[k] - r[k]);
                }
            }
        }
        double n = (double) w * h;
        for (int k = 0; k < 3; k++) {
            assertThat(cmykSum[k] / n).as("mean of channel %d", k).isCloseTo(rgbSum[k] / n, org.assertj.core.data.Offset.offset(3.0));
        }
        assertThat(absoluteDifference / (n * 3)).as("mean absolute difference per channel").isLessThan(4.0);
    }

    @Test
    void appliesAnEmbeddedIccProfile() throws Exception {
        // Linear-light RGB 50 is about sRGB 124: a decoder ignoring the profile would return 50.
        ColorSpace linear = ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB);
        ColorModel model = new ComponentColorModel(linear, false, false, ColorModel.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(8, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                raster.setPixel(x, y, new int[] {50, 50, 50});
            }
        }
        BufferedImage image = new BufferedImage(model, raster, false, null);
        byte[] tiff = Fixtures.write(image, "tiff"); // the TIFF writer embeds the ICC profile
        double[] mean = Fixtures.mean(codec.decodeToSrgb(tiff), 0, 0, 8, 8);
        assertThat(mean[0]).isBetween(118.0, 130.0);
        assertThat(mean[1]).isEqualTo(mean[0]);
    }

    private static byte[] multiFrame(String format, BufferedImage... frames) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
