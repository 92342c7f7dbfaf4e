package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The output is a plain baseline JFIF JPEG: no metadata, 3 components, 4:2:0, quality as set. */
class JpegOutputTest {

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());

    /** A marker segment of the output: marker code and payload (after the length field). */
    record Segment(int marker, byte[] payload) {
    }

    @Test
    void writesBaselineJfifWithoutCarryingMetadataOver() throws Exception {
        // Input carrying EXIF (orientation 1) and a comment.
        byte[] input = Fixtures.withExifOrientation(Fixtures.jpeg(Fixtures.picture(64, 48), 0.9f), 1);
        input = withSegment(input, 0xFE, "a comment that must not survive".getBytes(StandardCharsets.US_ASCII));
        ProcessedImage out = codec.process(input);
        List<Segment> segments = segments(out.jpeg());

        assertThat(segments.get(0).marker()).as("first segment").isEqualTo(0xE0);
        assertThat(new String(segments.get(0).payload(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("JFIF\0");
        assertThat(segments).extracting(Segment::marker)
                .as("no APP1..APP15 (EXIF, ICC, XMP, Adobe) and no comment")
                .noneMatch(m -> (m >= 0xE1 && m <= 0xEF) || m == 0xFE)
                .contains(0xC0) // SOF0: baseline DCT
                .doesNotContain(0xC1, 0xC2, 0xC3, 0xC9, 0xCA); // extended, progressive, lossless, arithmetic

        byte[] sof = segments.stream().filter(s -> s.marker() == 0xC0).findFirst().orElseThrow().payload();
        assertThat(sof[0]).as("8-bit precision").isEqualTo((byte) 8);
        assertThat(sof[5]).as("3 components").isEqualTo((byte) 3);
        assertThat(sof[7]).as("Y sampling 2x2").isEqualTo((byte) 0x22);
        assertThat(sof[10]).as("Cb sampling 1x1").isEqualTo((byte) 0x11);
        assertThat(sof[13]).as("Cr sampling 1x1").isEqualTo((byte) 0x11);
    }

    @Test
    void qualityFiftyUsesTheStandardQuantisationTables() throws Exception {
        ProcessedImage out = codec.process(Fixtures.png(Fixtures.picture(64, 64)));
        byte[] dqt = segments(out.jpeg()).stream().filter(s -> s.marker() == 0xDB).findFirst().orElseThrow().payload();
        // Table 0, 8-bit values; the first (DC) entry of the standard luminance table is 16 at quality 50.
        assertThat(dqt[0] & 0x0F).isZero();
        assertThat(dqt[1] & 0xFF).isEqualTo(16);
        assertThat(dqt[2] & 0xFF).as("second entry in zig-zag order").isEqualTo(11);
    }

    @Test
    void lowerQualityGivesSmallerFiles() throws Exception {
        byte[] png = Fixtures.png(Fixtures.picture(200, 160));
        int q30 = new ImageCodec(ImageSettings.builder().jpegQuality(0.3f).build(), PixelBudget.defaults()).process(png).size();
        int q50 = codec.process(png).size();
        int q90 = new ImageCodec(ImageSettings.builder().jpegQuality(0.9f).build(), PixelBudget.defaults()).process(png).size();
        assertThat(q30).isLessThan(q50);
        assertThat(q50).isLessThan(q90);
    }

    @Test
    void anyDecoderReadsTheOutputWithTheRightColours() throws Exception {
        BufferedImage picture = Fixtures.quadrants(80, 60, Fixtures.RED, Fixtures.GREEN, Fixtures.BLUE, Fixtures.YELLOW);
        ProcessedImage out = codec.process(Fixtures.png(picture));
        assertThat(out.sourceFormat()).isEqualTo(ImageFormat.PNG);
        assertThat(out.sourceWidth()).isEqualTo(80);
        assertThat(out.sourceHeight()).isEqualTo(60);
        BufferedImage decoded = Fixtures.read(out.jpeg());
        assertThat(decoded.getWidth()).isEqualTo(40);
        assertThat(decoded.getHeight()).isEqualTo(30);
        assertThat(decoded.getRaster().getNumBands()).isEqualTo(3);
        Fixtures.assertColour(Fixtures.quadrantMean(decoded, 0), Fixtures.RED, 12, "top-left");
        Fixtures.assertColour(Fixtures.quadrantMean(decoded, 3), Fixtures.YELLOW, 12, "bottom-right");
    }

    @Test
    void sameInputGivesIdenticalOutput() throws Exception {
        byte[] input = Fixtures.jpeg(Fixtures.picture(90, 70), 0.8f);
        assertThat(codec.process(input)).isEqualTo(codec.process(input));
    }

    static List<Segment> segments(byte[] jpeg) {
        assertThat(jpeg[0] & 0xFF).isEqualTo(0xFF);
        assertThat(jpeg[1] & 0xFF).isEqualTo(0xD8);
        List<Segment> segments = new ArrayList<>();
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            int marker = jpeg[pos + 1] & 0xFF;
            int length = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
            byte[] payload = java.util.Arrays.copyOfRange(jpeg, pos + 4, pos + 2 + length);
            segments.add(new Segment(marker, payload));
            if (marker == 0xDA) {
                break;
            }
            pos += 2 + length;
        }
        return segments;
    }

    private static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(marker);
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xFF);
        out.write(payload, 0, payload.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
