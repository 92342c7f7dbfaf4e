package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Area-filter downscaling: exact block means, fractional coverage, no aliasing, rounding of sizes. */
class BoxResamplerTest {

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());

    @Test
    void halvesAOnePixelCheckerboardToFlatGrey() throws Exception {
        RgbPixels board = checkerboard(64, 48);
        RgbPixels half = BoxResampler.resize(board, 32, 24);
        for (int v : half.rgb()) {
            assertThat(v).isEqualTo(0x808080); // (0 + 255 + 0 + 255) / 4 = 127.5, rounded up
        }

        // Through the whole pipeline (PNG in, JPEG out) it stays flat grey: no moire.
        BufferedImage out = Fixtures.read(codec.process(Fixtures.png(board.toBufferedImage())).jpeg());
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int[] rgb = Fixtures.rgb(out.getRGB(x, y));
                assertThat(rgb[0]).as("pixel %d,%d", x, y).isBetween(126, 130);
            }
        }
    }

    @Test
    void halvingAnEvenSizeIsTheExactMeanOfEachTwoByTwoBlock() {
        Random random = new Random(5);
        RgbPixels src = RgbPixels.allocate(10, 6);
        for (int i = 0; i < src.rgb().length; i++) {
            src.rgb()[i] = random.nextInt(0x1000000);
        }
        RgbPixels half = BoxResampler.resize(src, 5, 3);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                int[] a = Fixtures.rgb(src.get(2 * x, 2 * y));
                int[] b = Fixtures.rgb(src.get(2 * x + 1, 2 * y));
                int[] c = Fixtures.rgb(src.get(2 * x, 2 * y + 1));
                int[] d = Fixtures.rgb(src.get(2 * x + 1, 2 * y + 1));
                int[] actual = Fixtures.rgb(half.get(x, y));
                for (int k = 0; k < 3; k++) {
                    assertThat(actual[k]).isEqualTo((a[k] + b[k] + c[k] + d[k] + 2) / 4);
                }
            }
        }
    }

    @Test
    void halvingKeepsChannelsApartAtTheirExtremes() {
        int[] values = {0xFFFFFF, 0xFEFEFE, 0x000000, 0xFF00FF, 0x00FF00, 0x010101, 0xFF0000, 0x0000FF};
        Random random = new Random(9);
        RgbPixels src = RgbPixels.allocate(64, 48);
        for (int i = 0; i < src.rgb().length; i++) {
            src.rgb()[i] = values[random.nextInt(values.length)];
        }
        RgbPixels half = BoxResampler.resize(src, 32, 24);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                for (int k = 0; k < 3; k++) {
                    int sum = 0;
                    for (int d = 0; d < 4; d++) {
                        sum += Fixtures.rgb(src.get(2 * x + d % 2, 2 * y + d / 2))[k];
                    }
                    assertThat(Fixtures.rgb(half.get(x, y))[k]).isEqualTo((sum + 2) / 4);
                }
            }
        }
        RgbPixels white = RgbPixels.allocate(4, 4);
        java.util.Arrays.fill(white.rgb(), 0xFFFFFF);
        assertThat(BoxResampler.resize(white, 2, 2).rgb()).containsOnly(0xFFFFFF);
    }

    @Test
    void weighsPartlyCoveredPixelsByTheirCoverage() {
        // 3 -> 2: output pixel 0 covers source 0 fully and half of source 1 (weights 2/3, 1/3).
        int[] grey = {0, 90, 255, 30, 60, 90, 200, 10, 120};
        RgbPixels src = RgbPixels.allocate(3, 3);
        for (int i = 0; i < 9; i++) {
            src.rgb()[i] = grey[i] * 0x010101;
        }
        RgbPixels out = BoxResampler.resize(src, 2, 2);
        double[] w = {2 / 3.0, 1 / 3.0};
        // Top-left: rows 0 and 1 with weights 2/3, 1/3; columns 0 and 1 likewise.
        double topLeft = w[0] * (w[0] * 0 + w[1] * 90) + w[1] * (w[0] * 30 + w[1] * 60);
        // Bottom-right: rows 1 and 2 (1/3, 2/3); columns 1 and 2 (1/3, 2/3).
        double bottomRight = w[1] * (w[1] * 60 + w[0] * 90) + w[0] * (w[1] * 10 + w[0] * 120);
        assertThat(out.get(0, 0) & 0xFF).isEqualTo((int) Math.round(topLeft));
        assertThat(out.get(1, 1) & 0xFF).isEqualTo((int) Math.round(bottomRight));
    }

    @Test
    void outputSizesFollowTheRoundingRule() throws Exception {
        assertOutputSize(1, 1, 1, 1);
        assertOutputSize(3, 3, 2, 2);
        assertOutputSize(1, 9, 1, 5);
        assertOutputSize(7, 2, 4, 1);
        assertOutputSize(640, 480, 320, 240);
    }

    @Test
    void keepsOneByNImagesAndAveragesAlongTheLongSide() {
        RgbPixels column = RgbPixels.allocate(1, 4);
        column.rgb()[0] = 0x000000;
        column.rgb()[1] = 0x646464;
        column.rgb()[2] = 0xFFFFFF;
        column.rgb()[3] = 0xFFFFFF;
        RgbPixels out = BoxResampler.resize(column, 1, 2);
        assertThat(out.rgb()).containsExactly(0x323232, 0xFFFFFF);
    }

    @Test
    void scaleOneReturnsTheImageUnchanged() throws Exception {
        ImageCodec identity = new ImageCodec(ImageSettings.builder().scale(1).jpegQuality(1f).build(), PixelBudget.defaults());
        ProcessedImage out = identity.process(Fixtures.png(Fixtures.solid(33, 17, 0x336699)));
        assertThat(out.width()).isEqualTo(33);
        assertThat(out.height()).isEqualTo(17);
        RgbPixels src = checkerboard(4, 4);
        assertThat(BoxResampler.resize(src, 4, 4)).isSameAs(src);
    }

    @Test
    void reducesByArbitraryFactorsWithoutDriftingFromFlatColours() {
        RgbPixels flat = RgbPixels.allocate(101, 77);
        java.util.Arrays.fill(flat.rgb(), 0x7F3A10);
        for (int[] size : new int[][] {{34, 26}, {10, 8}, {1, 1}, {100, 76}, {51, 39}}) {
            RgbPixels out = BoxResampler.resize(flat, size[0], size[1]);
            assertThat(out.rgb()).as("%dx%d", size[0], size[1]).containsOnly(0x7F3A10);
        }
    }

    private void assertOutputSize(int w, int h, int expectedW, int expectedH) throws Exception {
        ProcessedImage out = codec.process(Fixtures.png(Fixtures.solid(w, h, 0x808080)));
        assertThat(new int[] {out.width(), out.height()}).as("%dx%d", w, h).containsExactly(expectedW, expectedH);
        BufferedImage decoded = Fixtures.read(out.jpeg());
        assertThat(new int[] {decoded.getWidth(), decoded.getHeight()}).containsExactly(expectedW, expectedH);
    }

    private static RgbPixels checkerboard(int w, int h) {
        RgbPixels board = RgbPixels.allocate(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                board.rgb()[y * w + x] = ((x + y) & 1) == 0 ? 0x000000 : 0xFFFFFF;
            }
        }
        return board;
    }
}
