package dev.imagebatch.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SampleImagesTest {

    @Test
    void everySampleDecodesToTheSizeInItsName() throws Exception {
        Map<String, SampleImages.Sample> samples = SampleImages.all();

        assertThat(samples.keySet()).containsExactly("aurora_1600x1200.jpg", "rings_1024x768.bmp",
                "tiles_1200x900.png", "mosaic_900x600.tiff", "badge_800x800.png", "stripes_640x480.gif",
                "lagoon_640x480.webp");
        for (SampleImages.Sample sample : samples.values()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(sample.bytes()));
            assertThat(image).as(sample.name()).isNotNull();
            String size = sample.name().replaceAll(".*_(\\d+x\\d+)\\..*", "$1");
            assertThat(image.getWidth() + "x" + image.getHeight()).as(sample.name()).isEqualTo(size);
        }
    }

    @Test
    void theBundledWebpIsTheLagoonPicture() throws Exception {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(SampleImages.all().get("lagoon_640x480.webp").bytes()));
        BufferedImage drawn = SampleImages.lagoon(640, 480);

        // Lossy at quality 80: compare the mean of each channel in a few flat regions.
        int[][] points = {{100, 60}, {320, 330}, {100, 450}, {540, 100}};
        for (int[] p : points) {
            int a = decoded.getRGB(p[0], p[1]);
            int b = drawn.getRGB(p[0], p[1]);
            for (int shift = 0; shift <= 16; shift += 8) {
                assertThat(Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF))).as("pixel %s,%s", p[0], p[1])
                        .isLessThan(16);
            }
        }
    }

    @Test
    void theBadgeIsTransparentAroundTheDisc() throws Exception {
        BufferedImage badge = ImageIO.read(new ByteArrayInputStream(SampleImages.all().get("badge_800x800.png").bytes()));

        assertThat(badge.getColorModel().hasAlpha()).isTrue();
        assertThat(badge.getRGB(5, 5) >>> 24).isZero();
        assertThat(badge.getRGB(400, 400) >>> 24).isEqualTo(255);
    }
}
