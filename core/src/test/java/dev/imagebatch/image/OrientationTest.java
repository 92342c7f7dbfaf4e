package dev.imagebatch.image;

import static dev.imagebatch.image.Fixtures.BLUE;
import static dev.imagebatch.image.Fixtures.GREEN;
import static dev.imagebatch.image.Fixtures.RED;
import static dev.imagebatch.image.Fixtures.YELLOW;
import static dev.imagebatch.image.Fixtures.assertColour;
import static dev.imagebatch.image.Fixtures.quadrantMean;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** EXIF orientation makes the output upright. */
class OrientationTest {

    /**
     * For each EXIF orientation, the colours of the stored image's quadrants (top-left, top-right,
     * bottom-left, bottom-right) when the upright picture is red, green / blue, yellow. Derived
     * from the EXIF definition of what the stored 0th row and 0th column show.
     */
    private static final int[][] STORED_QUADRANTS = {
            {RED, GREEN, BLUE, YELLOW},  // 1: top, left
            {GREEN, RED, YELLOW, BLUE},  // 2: top, right
            {YELLOW, BLUE, GREEN, RED},  // 3: bottom, right
            {BLUE, YELLOW, RED, GREEN},  // 4: bottom, left
            {RED, BLUE, GREEN, YELLOW},  // 5: left, top
            {GREEN, YELLOW, RED, BLUE},  // 6: right, top
            {YELLOW, GREEN, BLUE, RED},  // 7: right, bottom
            {BLUE, RED, YELLOW, GREEN}}; // 8: left, bottom

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void turnsEveryExifOrientationUpright(int orientation) throws Exception {
        boolean sidesSwapped = orientation >= 5;
        int[] q = STORED_QUADRANTS[orientation - 1];
        BufferedImage stored = sidesSwapped
                ? Fixtures.quadrants(48, 80, q[0], q[1], q[2], q[3])
                : Fixtures.quadrants(80, 48, q[0], q[1], q[2], q[3]);
        byte[] jpeg = Fixtures.withExifOrientation(Fixtures.jpeg(stored, 0.95f), orientation);

        BufferedImage upright = codec.decodeToSrgb(jpeg);
        assertThat(upright.getWidth()).isEqualTo(80);
        assertThat(upright.getHeight()).isEqualTo(48);
        assertUprightQuadrants(upright, 8);

        ProcessedImage processed = codec.process(jpeg);
        assertThat(processed.width()).isEqualTo(40);
        assertThat(processed.height()).isEqualTo(24);
        assertThat(processed.sourceWidth()).isEqualTo(80);
        assertThat(processed.sourceHeight()).isEqualTo(48);
        assertUprightQuadrants(Fixtures.read(processed.jpeg()), 12);
    }

    @Test
    void turnsTheOrientationSixPhotographUpright() throws Exception {
        ProcessedImage processed = codec.process(TestResources.bytes("image/fixtures/fig-exif-orientation6_1200x812.jpg"));
        assertThat(processed.sourceWidth()).isEqualTo(812);
        assertThat(processed.sourceHeight()).isEqualTo(1200);
        assertThat(processed.width()).isEqualTo(406);
        assertThat(processed.height()).isEqualTo(600);
    }

    @Test
    void readsTheOrientationOfPngFromItsExifChunk() throws Exception {
        BufferedImage stored = Fixtures.quadrants(40, 30, YELLOW, BLUE, GREEN, RED); // upright turned 180 degrees
        byte[] png = Fixtures.withPngChunkAfterIhdr(Fixtures.png(stored), Fixtures.pngChunk("eXIf", orientationTiff(3)));
        assertUprightQuadrants(codec.decodeToSrgb(png), 0);
    }

    @Test
    void readsTheOrientationOfWebpFromItsExifChunk() throws Exception {
        // Stored red, green / blue, yellow with orientation 6: upright it shows blue, red / yellow, green.
        BufferedImage upright = codec.decodeToSrgb(
                TestResources.bytes("image/fixtures/quadrants-lossy-exif-orientation6_64x48.webp"));
        assertThat(upright.getWidth()).isEqualTo(48);
        assertThat(upright.getHeight()).isEqualTo(64);
        assertColour(quadrantMean(upright, 0), BLUE, 12, "top-left");
        assertColour(quadrantMean(upright, 1), RED, 12, "top-right");
        assertColour(quadrantMean(upright, 2), YELLOW, 12, "bottom-left");
        assertColour(quadrantMean(upright, 3), GREEN, 12, "bottom-right");
    }

    @Test
    void ignoresBrokenOrOutOfRangeExif() throws Exception {
        byte[] jpeg = Fixtures.jpeg(Fixtures.quadrants(80, 48, RED, GREEN, BLUE, YELLOW), 0.95f);
        byte[] garbage = "MM\0*\u00FF\u00FF\u00FF\u00FFnonsense".getBytes(StandardCharsets.ISO_8859_1);
        assertUprightQuadrants(codec.decodeToSrgb(Fixtures.withApp1Exif(jpeg, garbage)), 8);
        assertUprightQuadrants(codec.decodeToSrgb(Fixtures.withExifOrientation(jpeg, 9)), 8);
        assertUprightQuadrants(codec.decodeToSrgb(Fixtures.withExifOrientation(jpeg, 0)), 8);
    }

    @Test
    void rotatesPixelsClockwiseForOrientationSix() {
        RgbPixels stored = new RgbPixels(3, 2, new int[] {1, 2, 3, 4, 5, 6});
        RgbPixels upright = Orientation.fromExif(6).apply(stored);
        assertThat(upright.width()).isEqualTo(2);
        assertThat(upright.height()).isEqualTo(3);
        assertThat(upright.rgb()).containsExactly(4, 1, 5, 2, 6, 3);
        assertThat(Orientation.fromExif(8).apply(stored).rgb()).containsExactly(3, 6, 2, 5, 1, 4);
        assertThat(Orientation.fromExif(1).apply(stored)).isSameAs(stored);
    }

    private static void assertUprightQuadrants(BufferedImage image, double tolerance) {
        assertColour(quadrantMean(image, 0), RED, tolerance, "top-left");
        assertColour(quadrantMean(image, 1), GREEN, tolerance, "top-right");
        assertColour(quadrantMean(image, 2), BLUE, tolerance, "bottom-left");
        assertColour(quadrantMean(image, 3), YELLOW, tolerance, "bottom-right");
    }

    /** A little-endian TIFF structure with IFD0 holding only the Orientation tag. */
    private static byte[] orientationTiff(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        return tiff.array();
    }
}
