package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PngSuite (copied under {@code image/pngsuite/}): every regular file decodes to its reference
 * pixels composited onto white, within 1 level per channel; every corrupt ({@code x*}) file is
 * refused promptly. The reference is {@code expected-on-white.bin.gz}, made from the suite's JSON
 * pixel dumps by {@code core/src/test/tools/image/make_pngsuite_expected.py}.
 */
class PngSuiteConformanceTest {

    private static final String DIR = "image/pngsuite/";

    /** The 14 deliberately corrupt files of the suite. */
    private static final List<String> CORRUPT = List.of(
            "xc1n0g08", "xc9n2c08", "xcrn0g04", "xcsn0g01", "xd0n2c08", "xd3n2c08", "xd9n2c08",
            "xdtn0g01", "xhdn0g08", "xlfn0g04", "xs1n0g01", "xs2n0g01", "xs4n0g01", "xs7n0g01");

    private static final Map<String, Reference> REFERENCE = loadReference();

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());

    record Reference(int width, int height, byte[] rgb) {
    }

    static Stream<String> regularFiles() {
        return REFERENCE.keySet().stream();
    }

    static Stream<String> corruptFiles() {
        return CORRUPT.stream();
    }

    @Test
    void referenceCoversTheWholeSuite() {
        assertThat(REFERENCE).hasSize(175 - CORRUPT.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regularFiles")
    void decodesToTheReferencePixelsOnWhite(String name) throws Exception {
        Reference expected = REFERENCE.get(name);
        BufferedImage decoded = codec.decodeToSrgb(TestResources.bytes(DIR + "png/" + name + ".png"));

        assertThat(decoded.getWidth()).as("width").isEqualTo(expected.width());
        assertThat(decoded.getHeight()).as("height").isEqualTo(expected.height());
        int mismatches = 0;
        String first = null;
        for (int y = 0; y < expected.height(); y++) {
            for (int x = 0; x < expected.width(); x++) {
                int i = (y * expected.width() + x) * 3;
                int rgb = decoded.getRGB(x, y);
                int[] actual = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
                for (int c = 0; c < 3; c++) {
                    if (Math.abs(actual[c] - (expected.rgb()[i + c] & 0xFF)) > 1) {
                        mismatches++;
                        if (first == null) {
                            first = "(" + x + "," + y + ") channel " + c + ": expected "
                                    + (expected.rgb()[i + c] & 0xFF) + ", got " + actual[c];
                        }
                    }
                }
            }
        }
        if (mismatches > 0) {
            fail(mismatches + " channel values differ by more than 1, first at " + first);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void refusesCorruptFilePromptly(String name) {
        byte[] bytes = TestResources.bytes(DIR + "png/" + name + ".png");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> codec.process(bytes))
                        .isInstanceOfSatisfying(ImageFailureException.class, e ->
                                assertThat(e.code()).isIn(ErrorCode.DECODE_ERROR, ErrorCode.NOT_AN_IMAGE)));
    }

    private static Map<String, Reference> loadReference() {
        byte[] gz = TestResources.bytes(DIR + "expected-on-white.bin.gz");
        Map<String, Reference> map = new TreeMap<>();
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(gz)))) {
            while (true) {
                int nameLength;
                try {
                    nameLength = in.readUnsignedByte();
                } catch (EOFException end) {
                    return map;
                }
                byte[] name = in.readNBytes(nameLength);
                int width = in.readInt();
                int height = in.readInt();
                byte[] rgb = in.readNBytes(width * height * 3);
                map.put(new String(name, java.nio.charset.StandardCharsets.US_ASCII),
                        new Reference(width, height, rgb));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
