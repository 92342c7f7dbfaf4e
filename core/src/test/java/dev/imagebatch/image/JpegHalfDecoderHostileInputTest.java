package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged, truncated and deliberately malformed JPEGs: the half-size decoder either decodes them
 * or declines them ({@link JpegHalfDecoder.Declined}), never throws anything else and never
 * hangs; the codec then answers exactly as its general path does, or better.
 */
class JpegHalfDecoderHostileInputTest {

    private static final int[] YUV420 = {2, 2, 1, 1, 1, 1};

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());
    private final ImageCodec general = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults(), false);

    private static byte[] sample(boolean progressive, int restart) {
        return JpegFixtures.jpeg(JpegFixtures.detailed(40, 30), 0.8f, YUV420, progressive, restart);
    }

    /** Decodes or declines; anything else fails the test. Returns the pixels or null. */
    private static RgbPixels decodeOrDecline(byte[] jpeg) {
        try {
            return JpegHalfDecoder.open(jpeg).decode(ImageSettings.DEFAULT_MAX_PIXELS);
        } catch (JpegHalfDecoder.Declined e) {
            return null;
        }
    }

    @ParameterizedTest(name = "progressive {0}")
    @ValueSource(booleans = {false, true})
    void declinesEveryTruncationAndTheCodecAnswersLikeItsGeneralPath(boolean progressive) {
        byte[] jpeg = sample(progressive, progressive ? 3 : 0);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int length = 0; length < jpeg.length; length++) {
                byte[] cut = Arrays.copyOf(jpeg, length);
                assertThat(decodeOrDecline(cut)).as("cut to %d of %d bytes", length, jpeg.length).isNull();
                if (length % 7 == 0 || length > jpeg.length - 16) {
                    assertSameOutcome(cut);
                }
            }
        });
        assertThat(decodeOrDecline(jpeg)).isNotNull();
    }

    @ParameterizedTest(name = "progressive {0}")
    @ValueSource(booleans = {false, true})
    void survivesCorruptEntropyCodedDataAndNeverAnswersWorseThanTheGeneralPath(boolean progressive) {
        byte[] jpeg = sample(progressive, 2);
        int firstScan = indexOf(jpeg, 0xFF, 0xDA, 0);
        Random random = new Random(progressive ? 7 : 11);
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (int i = 0; i < 400; i++) {
                byte[] damaged = jpeg.clone();
                int flips = 1 + random.nextInt(6);
                for (int f = 0; f < flips; f++) {
                    int at = firstScan + random.nextInt(jpeg.length - firstScan - 2);
                    damaged[at] = (byte) random.nextInt(256);
                }
                RgbPixels pixels = decodeOrDecline(damaged);
                if (pixels != null) {
                    assertThat(pixels.width()).isEqualTo(20);
                    assertThat(pixels.height()).isEqualTo(15);
                }
                if (i % 4 == 0) {
                    assertNotWorse(damaged);
                }
            }
        });
    }

    /**
     * Random damage anywhere in the file (headers included) of JPEGs of several layouts: the
     * decoder decodes or declines, nothing else, and never takes long.
     */
    @Test
    void survivesRandomDamageAnywhere() {
        byte[][] originals = {
                JpegFixtures.jpeg(JpegFixtures.detailed(37, 29), 0.7f, new int[] {2, 2, 1, 1, 1, 1}, true, 2),
                JpegFixtures.jpeg(JpegFixtures.detailed(37, 29), 0.7f, new int[] {2, 1, 1, 1, 1, 1}, false, 3),
                JpegFixtures.jpeg(JpegFixtures.detailed(37, 29), 0.7f, new int[] {1, 2, 1, 1, 1, 1}, true, 0),
                TestResources.bytes("image/fixtures/progressive-411-restart_61x47.jpg"),
                TestResources.bytes("image/fixtures/progressive-420-restart_61x47.jpg")};
        Random random = new Random(20261124);
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (byte[] original : originals) {
                for (int i = 0; i < 2000; i++) {
                    byte[] damaged = original.clone();
                    int flips = 1 + random.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        damaged[2 + random.nextInt(damaged.length - 2)] = (byte) random.nextInt(256);
                    }
                    if (random.nextInt(4) == 0) {
                        damaged = Arrays.copyOf(damaged, 2 + random.nextInt(damaged.length - 2));
                    }
                    decodeOrDecline(damaged);
                }
            }
        });
    }

    @Test
    void randomGarbageAfterTheHeadersIsDeclinedQuickly() {
        byte[] jpeg = sample(false, 0);
        int sos = indexOf(jpeg, 0xFF, 0xDA, 0);
        int scanData = sos + 2 + ((jpeg[sos + 2] & 0xFF) << 8 | (jpeg[sos + 3] & 0xFF));
        Random random = new Random(3);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 200; i++) {
                byte[] garbage = new byte[random.nextInt(5000)];
                random.nextBytes(garbage);
                byte[] bytes = concat(Arrays.copyOf(jpeg, scanData), garbage);
                decodeOrDecline(bytes);
                assertNotWorse(bytes);
            }
        });
    }

    @Test
    void checksTheDeclaredSizeBeforeAllocatingAnything() throws Exception {
        byte[] jpeg = withFrameSize(sample(false, 0), 65_535, 65_535);
        JpegHalfDecoder decoder = JpegHalfDecoder.open(jpeg);
        assertThat((long) decoder.width() * decoder.height()).isGreaterThan(ImageSettings.DEFAULT_MAX_PIXELS);
        assertThatThrownBy(() -> decoder.decode(ImageSettings.DEFAULT_MAX_PIXELS)).isInstanceOf(JpegHalfDecoder.Declined.class);
        ImageFailureException e = (ImageFailureException) catchThrowable(() -> codec.process(jpeg));
        assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_PIXELS);
        assertThat(e.getMessage()).contains("65535x65535");
    }

    @Test
    void aLargeDeclaredSizeWithLittleDataEndsQuicklyAsDeclined() {
        byte[] jpeg = withFrameSize(sample(true, 0), 7000, 7000); // 49 MP declared, a few KB of data
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(decodeOrDecline(jpeg)).isNull();
        });
    }

    @Test
    void declinesZeroDimensions() {
        assertThat(decodeOrDecline(withFrameSize(sample(false, 0), 0, 30))).isNull();
        assertThat(decodeOrDecline(withFrameSize(sample(false, 0), 40, 0))).isNull(); // height from DNL
        byte[] zeroWidth = withFrameSize(sample(false, 0), 0, 30);
        assertSameOutcome(zeroWidth);
    }

    @ParameterizedTest(name = "without marker 0xFF{0}")
    @ValueSource(strings = {"C4", "DB"})
    void declinesMissingTables(String marker) {
        byte[] jpeg = withoutSegments(sample(false, 0), Integer.parseInt(marker, 16));
        assertThatThrownBy(() -> JpegHalfDecoder.open(jpeg).decode(ImageSettings.DEFAULT_MAX_PIXELS))
                .isInstanceOf(JpegHalfDecoder.Declined.class)
                .hasMessageContaining("missing");
        assertSameOutcome(jpeg);
    }

    @Test
    void declinesBadFrameAndTableParameters() {
        byte[] jpeg = sample(false, 0);
        int sof = indexOf(jpeg, 0xFF, 0xC0, 0);
        int dht = indexOf(jpeg, 0xFF, 0xC4, 0);
        int dqt = indexOf(jpeg, 0xFF, 0xDB, 0);
        int sos = indexOf(jpeg, 0xFF, 0xDA, 0);
        assertDeclined(patch(jpeg, sof + 4, 12), "12-bit");                 // precision
        assertDeclined(patch(jpeg, sof + 11, 0x02), "sampling");            // Y sampling 0x2
        assertDeclined(patch(jpeg, sof + 11, 0x52), "sampling");            // Y sampling 5x2
        assertDeclined(patch(jpeg, sof + 12, 7), "quantisation table");     // table index 7
        assertDeclined(patch(jpeg, sof + 13, 1), "duplicate component");    // Cb id = Y id
        assertDeclined(patch(jpeg, sof + 14, 0x32), "whole ratios");        // Cb 3x2 with Y 2x2
        assertDeclined(patch(jpeg, dht + 4, 0x25), "Huffman table");       // class 2
        assertDeclined(patch(jpeg, dht + 5, 0xFF), "Huffman table");        // 255 codes of length 1
        assertDeclined(patch(jpeg, dqt + 4, 0x09), "quantisation");         // table 9
        assertDeclined(patch(jpeg, sos + 5, 9), "unknown component");       // scan names component 9
        assertDeclined(patch(jpeg, sos + 6, 0x55), "table selector");       // Huffman tables 5
        assertDeclined(patch(jpeg, sos + 12, 62), "sequential scan");        // Se = 62 in a baseline scan
        assertDeclined(patch(jpeg, sof + 2, 0x00, 0x05), "frame header");   // frame header length 5
        assertDeclined(patch(jpeg, sof + 2, 0xFF, 0xFF), "length");         // beyond the data
    }

    @Test
    void declinesBadProgressiveScanParameters() {
        byte[] jpeg = sample(true, 0);
        int firstAcScan = -1;
        for (int at = indexOf(jpeg, 0xFF, 0xDA, 0); at >= 0; at = indexOf(jpeg, 0xFF, 0xDA, at + 2)) {
            if ((jpeg[at + 4] & 0xFF) == 1 && jpeg[at + 7] != 0) { // one component, Ss > 0
                firstAcScan = at;
                break;
            }
        }
        assertThat(firstAcScan).isPositive();
        int ss = firstAcScan + 7;
        assertDeclined(patch(jpeg, ss, 0), "progressive");                  // Ss = 0 with Se > 0
        assertDeclined(patch(jpeg, ss + 1, 64), "progressive");             // Se = 64
        assertDeclined(patch(jpeg, ss, 10, 5), "progressive");              // Se < Ss
        assertDeclined(patch(jpeg, ss + 2, 0x0E), "successive");            // Al = 14
        assertDeclined(patch(jpeg, ss + 2, 0x31), "successive");            // Ah = 3, Al = 1
    }

    @ParameterizedTest(name = "SOF marker 0xFF{0}")
    @ValueSource(strings = {"C3", "C5", "C9", "CA", "CB", "CD", "CE", "CF"})
    void declinesLosslessHierarchicalAndArithmeticFrames(String marker) {
        byte[] jpeg = sample(false, 0);
        assertDeclined(patch(jpeg, indexOf(jpeg, 0xFF, 0xC0, 0) + 1, Integer.parseInt(marker, 16)), "frame type");
    }

    @Test
    void declinesArithmeticConditioningAndDnlMarkers() {
        byte[] jpeg = sample(false, 0);
        byte[] dac = insertBefore(jpeg, 0xDA, new byte[] {(byte) 0xFF, (byte) 0xCC, 0, 4, 0x00, 0x10});
        assertDeclined(dac, "arithmetic");
        byte[] dnl = insertBefore(jpeg, 0xD9, new byte[] {(byte) 0xFF, (byte) 0xDC, 0, 4, 0, 30});
        assertDeclined(dnl, "DNL");
    }

    @Test
    void declinesRestartMarkersOutOfSequence() {
        byte[] jpeg = sample(false, 1);
        int rst = indexOf(jpeg, 0xFF, 0xD0, indexOf(jpeg, 0xFF, 0xDA, 0));
        assertDeclined(patch(jpeg, rst + 1, 0xD3), "restart");
        assertNotWorse(patch(jpeg, rst + 1, 0xD3));
    }

    @Test
    void neverLoopsOnEndlessScansOrFillBytes() {
        byte[] jpeg = sample(true, 0);
        int eoi = jpeg.length - 2;
        // Thousands of valid DC refinement scans of the 5x4 luma blocks (20 bits each): bounded
        // by the scan limit.
        byte[] scan = {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 0, 0x10, 0, 0, 0};
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        many.write(jpeg, 0, eoi);
        for (int i = 0; i < 5000; i++) {
            many.write(scan, 0, scan.length);
        }
        many.write(jpeg, eoi, 2);
        byte[] fill = new byte[100_000];
        Arrays.fill(fill, (byte) 0xFF);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertDeclined(many.toByteArray(), "scans");
            assertThat(decodeOrDecline(concat(Arrays.copyOf(jpeg, eoi), fill))).isNull();
        });
    }

    private static void assertDeclined(byte[] jpeg, String reason) {
        Throwable thrown = catchThrowable(() -> JpegHalfDecoder.open(jpeg).decode(ImageSettings.DEFAULT_MAX_PIXELS));
        assertThat(thrown).isInstanceOf(JpegHalfDecoder.Declined.class);
        assertThat(thrown.getMessage()).containsIgnoringCase(reason);
    }

    /** The codec gives the general path's answer: the same failure code, or the same output. */
    private void assertSameOutcome(byte[] input) {
        Object ours = outcome(codec, input);
        Object theirs = outcome(general, input);
        assertThat(ours).isEqualTo(theirs);
    }

    /** Where the general path produces an image the codec does too; a classified failure otherwise. */
    private void assertNotWorse(byte[] input) {
        Object ours = outcome(codec, input);
        Object theirs = outcome(general, input);
        if (theirs instanceof ProcessedImage) {
            assertThat(ours).isInstanceOf(ProcessedImage.class);
        }
        if (ours instanceof ErrorCode code) {
            assertThat(code).isNotEqualTo(ErrorCode.INTERNAL);
        }
    }

    private static Object outcome(ImageCodec codec, byte[] input) {
        try {
            return codec.process(input);
        } catch (ImageFailureException e) {
            return e.code();
        }
    }

    static byte[] withFrameSize(byte[] jpeg, int width, int height) {
        int sof = indexOf(jpeg, 0xFF, 0xC0, 0);
        if (sof < 0) {
            sof = indexOf(jpeg, 0xFF, 0xC2, 0);
        }
        return patch(jpeg, sof + 5, height >> 8, height & 0xFF, width >> 8, width & 0xFF);
    }

    static byte[] patch(byte[] bytes, int at, int... values) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < values.length; i++) {
            copy[at + i] = (byte) values[i];
        }
        return copy;
    }

    /** The JPEG without its header segments of type {@code marker}. */
    static byte[] withoutSegments(byte[] jpeg, int marker) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int pos = 2;
        while (true) {
            int code = jpeg[pos + 1] & 0xFF;
            int length = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
            if (code == 0xDA) {
                out.write(jpeg, pos, jpeg.length - pos);
                return out.toByteArray();
            }
            if (code != marker) {
                out.write(jpeg, pos, 2 + length);
            }
            pos += 2 + length;
        }
    }

    /** {@code segment} inserted before the first occurrence of marker {@code 0xFF marker}. */
    static byte[] insertBefore(byte[] jpeg, int marker, byte[] segment) {
        int at = marker == 0xD9 ? jpeg.length - 2 : indexOf(jpeg, 0xFF, marker, 0);
        return concat(Arrays.copyOf(jpeg, at), segment, Arrays.copyOfRange(jpeg, at, jpeg.length));
    }

    static int indexOf(byte[] bytes, int first, int second, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if ((bytes[i] & 0xFF) == first && (bytes[i + 1] & 0xFF) == second) {
                return i;
            }
        }
        return -1;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

}
