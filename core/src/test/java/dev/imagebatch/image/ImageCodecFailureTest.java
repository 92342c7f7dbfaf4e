package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageCodecFailureTest {

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());

    @Test
    void refusesEmptyInputAsNotAnImage() {
        assertFailsWith(() -> codec.process(new byte[0]), ErrorCode.NOT_AN_IMAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<!DOCTYPE html><html><body><img src=\"x.jpg\"></body></html>",
            "Not Found",
            "{\"message\":\"Access denied\"}",
            "\u0000\u0001\u0002\u0003 random garbage bytes"})
    void refusesHtmlTextAndGarbageAsNotAnImage(String body) {
        assertFailsWith(() -> codec.process(body.getBytes(StandardCharsets.UTF_8)), ErrorCode.NOT_AN_IMAGE);
    }

    @Test
    void refusesSvgAvifHeicAndJpegXlAsUnsupported() {
        byte[] svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8);
        byte[] avif = "\0\0\0\u0018ftypavif\0\0\0\0mif1miaf".getBytes(StandardCharsets.ISO_8859_1);
        byte[] heic = "\0\0\0\u0018ftypheic\0\0\0\0mif1heic".getBytes(StandardCharsets.ISO_8859_1);
        byte[] jxl = {(byte) 0xFF, 0x0A, 0, 0, 0, 0};
        assertFailsWith(() -> codec.process(svg), ErrorCode.UNSUPPORTED_FORMAT);
        assertFailsWith(() -> codec.process(avif), ErrorCode.UNSUPPORTED_FORMAT);
        assertFailsWith(() -> codec.process(heic), ErrorCode.UNSUPPORTED_FORMAT);
        assertFailsWith(() -> codec.process(jxl), ErrorCode.UNSUPPORTED_FORMAT);
    }

    @Test
    void refusesPngDeclaringTooManyPixelsWithoutDecoding() throws Exception {
        byte[] png = pngHeaderWithZeroRows(30_000, 30_000, 2_000);
        assertThat(png.length).isBetween(1_000, 1_000_000);
        PixelBudget budget = PixelBudget.of(1_000);
        ImageCodec guarded = new ImageCodec(ImageSettings.defaults(), budget);
        // With the whole budget held, any attempt to decode would block: the refusal must come first.
        try (PixelBudget.Permit ignored = budget.acquire(1_000)) {
            ImageFailureException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> catchFailure(() -> guarded.process(png)));
            assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_PIXELS);
            assertThat(e.getMessage()).contains("30000x30000");
        }
        ImageFailureException direct = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> catchFailure(() -> codec.decodeToSrgb(png)));
        assertThat(direct.code()).isEqualTo(ErrorCode.TOO_MANY_PIXELS);
    }

    @Test
    void refusesJpegWhoseFrameHeaderDeclaresTooManyPixels() {
        byte[] jpeg = Fixtures.jpeg(Fixtures.solid(16, 16, Fixtures.RED), 0.9f);
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        jpeg[sof + 5] = (byte) 0xEA; // height 60000
        jpeg[sof + 6] = (byte) 0x60;
        jpeg[sof + 7] = (byte) 0xEA; // width 60000
        jpeg[sof + 8] = (byte) 0x60;
        ImageFailureException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchFailure(() -> codec.process(jpeg)));
        assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_PIXELS);
    }

    @Test
    void appliesThePixelLimitInclusively() throws Exception {
        ImageCodec limited = new ImageCodec(ImageSettings.builder().maxPixels(100 * 80).build(), PixelBudget.defaults());
        assertThat(limited.process(Fixtures.png(Fixtures.solid(100, 80, Fixtures.BLUE))).width()).isEqualTo(50);
        assertFailsWith(() -> limited.process(Fixtures.png(Fixtures.solid(101, 80, Fixtures.BLUE))), ErrorCode.TOO_MANY_PIXELS);
    }

    @Test
    void reportsTruncatedPngAsDecodeError() {
        byte[] png = Fixtures.png(Fixtures.picture(120, 90));
        assertFailsWith(() -> codec.process(Arrays.copyOf(png, png.length / 2)), ErrorCode.DECODE_ERROR);
        assertFailsWith(() -> codec.process(Arrays.copyOf(png, 20)), ErrorCode.DECODE_ERROR);
    }

    @Test
    void reportsPngWithCorruptCompressedDataAsDecodeError() {
        byte[] data = new byte[64];
        Arrays.fill(data, (byte) 0x5A); // not a zlib stream
        byte[] png = concat(pngSignatureAndHeader(10, 10), Fixtures.pngChunk("IDAT", data), Fixtures.pngChunk("IEND", new byte[0]));
        assertFailsWith(() -> codec.process(png), ErrorCode.DECODE_ERROR);
    }

    @Test
    void reportsPngWithDamagedCriticalChunkAsDecodeError() {
        byte[] png = Fixtures.png(Fixtures.solid(10, 10, Fixtures.GREEN));
        png[20] ^= 0x01; // inside IHDR: the CRC no longer matches
        ImageFailureException e = catchFailure(() -> codec.process(png));
        assertThat(e.code()).isEqualTo(ErrorCode.DECODE_ERROR);
        assertThat(e.getMessage()).contains("CRC", "IHDR");
    }

    @Test
    void reportsJpegCutBeforeItsImageDataAsDecodeError() {
        byte[] jpeg = Fixtures.jpeg(Fixtures.picture(64, 64), 0.9f);
        int sos = indexOf(jpeg, (byte) 0xFF, (byte) 0xDA);
        for (int length : new int[] {3, 30, sos, sos + 8, sos + 14}) {
            assertFailsWith(() -> codec.process(Arrays.copyOf(jpeg, length)), ErrorCode.DECODE_ERROR);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GIF89a", "RIFF\u0040\0\0\0WEBPVP8 ", "II*\0", "MM\0*", "\u00FF\u00D8\u00FF\u00E0"})
    void reportsGarbageBehindAValidSignatureAsDecodeError(String signature) {
        byte[] garbage = new byte[300];
        new Random(signature.hashCode()).nextBytes(garbage);
        byte[] bytes = concat(signature.getBytes(StandardCharsets.ISO_8859_1), garbage);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertFailsWith(() -> codec.process(bytes), ErrorCode.DECODE_ERROR));
    }

    @Test
    void reportsBmpWithGarbageAfterItsHeaderAsDecodeError() {
        byte[] bmp = Fixtures.write(Fixtures.solid(10, 10, Fixtures.RED), "bmp");
        byte[] broken = Arrays.copyOf(bmp, 40);
        assertFailsWith(() -> codec.process(broken), ErrorCode.DECODE_ERROR);
    }

    /**
     * Damaged copies of valid files in every format (cut short or with bytes flipped) either
     * decode or fail with a classified {@link ImageFailureException}; nothing else escapes and
     * nothing hangs.
     */
    @Test
    void letsNothingButImageFailureExceptionEscapeFromDamagedFiles() {
        ImageCodec small = new ImageCodec(ImageSettings.builder().maxPixels(2_000_000).build(), PixelBudget.defaults());
        var picture = Fixtures.picture(48, 40);
        byte[][] originals = {
                Fixtures.jpeg(picture, 0.8f),
                Fixtures.write(picture, "jpeg", p -> p.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT)),
                Fixtures.png(picture),
                Fixtures.write(picture, "gif"),
                Fixtures.write(picture, "bmp"),
                Fixtures.write(picture, "tiff"),
                TestResources.bytes("image/fixtures/quadrants-lossy-alpha_64x48.webp"),
                TestResources.bytes("image/fixtures/quadrants-lossless-alpha_64x48.webp")};
        Random random = new Random(20240229);
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            for (byte[] original : originals) {
                for (int i = 0; i < 120; i++) {
                    byte[] damaged = damage(original, random);
                    Throwable thrown = catchThrowable(() -> small.process(damaged));
                    if (thrown != null) {
                        assertThat(thrown).isInstanceOf(ImageFailureException.class);
                        assertThat(((ImageFailureException) thrown).code()).isNotEqualTo(ErrorCode.INTERNAL);
                    }
                }
            }
        });
    }

    /**
     * A 174-byte WebP found by fuzzing whose lossless alpha data ends early: the WebP reader pads
     * the end with zero bits and, unchecked, decoded that padding for minutes. It is now stopped
     * by {@link InMemoryImageInputStream} and reported as damaged data.
     */
    @Test
    void webpWhoseDecoderKeepsReadingPastTheEndFailsPromptlyAsDecodeError() {
        byte[] input = TestResources.bytes("dev/imagebatch/fuzz/ImageCodecFuzzTestInputs/"
                + "processEitherSucceedsOrFailsWithAClassifiedError/slow-unit-a4b8e12e67402197f023ff307fee07013b0a05b3");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            ImageFailureException e = catchFailure(() -> codec.process(input));
            assertThat(e.code()).isEqualTo(ErrorCode.DECODE_ERROR);
            assertThat(e).hasMessageContaining("read past the end");
        });
    }

    @Test
    void refusesNullInputWithNullPointerException() {
        assertThatThrownBy(() -> codec.process(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ImageCodec(null, PixelBudget.defaults())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ImageCodec(ImageSettings.defaults(), null)).isInstanceOf(NullPointerException.class);
    }

    private static byte[] damage(byte[] original, Random random) {
        if (random.nextBoolean()) {
            return Arrays.copyOf(original, 4 + random.nextInt(original.length - 4));
        }
        byte[] copy = original.clone();
        int flips = 1 + random.nextInt(8);
        for (int f = 0; f < flips; f++) {
            int at = 4 + random.nextInt(copy.length - 4); // keep the signature, damage the rest
            copy[at] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static void assertFailsWith(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ImageFailureException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }

    private static ImageFailureException catchFailure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(ImageFailureException.class);
        return (ImageFailureException) thrown;
    }

    /** A PNG (8-bit RGB) whose header declares width x height, followed by {@code rows} rows of zeros and IEND. */
    static byte[] pngHeaderWithZeroRows(int width, int height, int rows) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        byte[] zeros = new byte[width * 3 + 1];
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        for (int r = 0; r < rows; r++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                compressed.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return concat(pngSignatureAndHeader(width, height), Fixtures.pngChunk("IDAT", compressed.toByteArray()),
                Fixtures.pngChunk("IEND", new byte[0]));
    }

    private static byte[] pngSignatureAndHeader(int width, int height) {
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array();
        return concat(signature, Fixtures.pngChunk("IHDR", ihdr));
    }

    private static int indexOf(byte[] bytes, byte first, byte second) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == first && bytes[i + 1] == second) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }
}
