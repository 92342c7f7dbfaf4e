package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Decompression bombs: small files of every supported container whose headers declare far more
 * pixels than the limit. Each is refused from its header, quickly, with the whole pixel budget held
 * so that any attempt to decode would block instead.
 */
class DeclaredSizeBombTest {

    private static final int HUGE = 60_000;

    @Test
    void gifWithAHugeImageDescriptorIsRefused() {
        byte[] gif = Fixtures.write(Fixtures.solid(16, 16, Fixtures.RED), "gif");
        ByteBuffer b = ByteBuffer.wrap(gif).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(6, (short) HUGE).putShort(8, (short) HUGE); // logical screen
        int descriptor = indexOf(gif, (byte) 0x2C, 13);
        b.putShort(descriptor + 5, (short) HUGE).putShort(descriptor + 7, (short) HUGE);
        assertRefusedFromHeader(gif);
    }

    @Test
    void bmpWithAHugeHeaderIsRefused() {
        byte[] bmp = Fixtures.write(Fixtures.solid(16, 16, Fixtures.RED), "bmp");
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, HUGE).putInt(22, HUGE);
        assertRefusedFromHeader(bmp);
    }

    @Test
    void tiffWithHugeDimensionTagsIsRefused() {
        byte[] tiff = Fixtures.write(Fixtures.solid(16, 16, Fixtures.RED), "tiff");
        ByteBuffer b = ByteBuffer.wrap(tiff);
        b.order(tiff[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = b.getInt(4);
        int entries = Short.toUnsignedInt(b.getShort(ifd));
        int patched = 0;
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + 12 * i;
            int tag = Short.toUnsignedInt(b.getShort(entry));
            int type = Short.toUnsignedInt(b.getShort(entry + 2));
            if (tag == 256 || tag == 257) {
                if (type == 3) {
                    b.putShort(entry + 8, (short) HUGE);
                } else {
                    b.putInt(entry + 8, HUGE);
                }
                patched++;
            }
        }
        assertThat(patched).isEqualTo(2);
        assertRefusedFromHeader(tiff);
    }

    @Test
    void webpWithAHugeFrameHeaderIsRefused() throws IOException {
        byte[] webp;
        try (InputStream in = getClass().getResourceAsStream("/image/fixtures/quadrants-lossy_64x48.webp")) {
            webp = in.readAllBytes();
        }
        int vp8 = indexOf(webp, (byte) 0x9D, 0); // VP8 key frame start code 9D 01 2A, then 14-bit sizes
        assertThat(webp[vp8 + 1]).isEqualTo((byte) 0x01);
        assertThat(webp[vp8 + 2]).isEqualTo((byte) 0x2A);
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN)
                .putShort(vp8 + 3, (short) 0x3FFF).putShort(vp8 + 5, (short) 0x3FFF); // 16383 x 16383
        assertRefusedFromHeader(webp);
    }

    @Test
    void extendedWebpWhoseFrameDeclaresMoreThanItsCanvasIsRefused() throws IOException {
        // The VP8X canvas stays 64x48 (what the reader reports); only the lossy frame inside lies.
        byte[] webp;
        try (InputStream in = getClass().getResourceAsStream("/image/fixtures/quadrants-lossy-alpha_64x48.webp")) {
            webp = in.readAllBytes();
        }
        assertThat(new String(webp, 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("VP8X");
        int frame = indexOf(webp, "VP8 ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) + 8;
        assertThat(webp[frame + 3]).isEqualTo((byte) 0x9D);
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN)
                .putShort(frame + 6, (short) 0x3FFF).putShort(frame + 8, (short) 0x3FFF); // 16383 x 16383
        assertRefusedFromHeader(webp);
    }

    @Test
    void webpFrameHeaderReadPastAnEmptyChunkIsHeldToTheLimit() {
        // Found by fuzzing: canvas 64x48, a "VP8 " chunk of length 0; the reader takes the frame
        // header from the bytes after it, which declare 6399x8447 (54 MP, over the 50 MP default).
        byte[] bomb = java.util.Base64.getDecoder().decode(
                "UklGRrgAAABXRUJQVlA4WAoAAAAIAAAAPwAALwAAVlA4IAAAAAAAAAAAAAAA/9j/4AAQSkZJRgA=");
        assertRefusedFromHeader(bomb);
    }

    private static void assertRefusedFromHeader(byte[] bomb) {
        PixelBudget budget = PixelBudget.of(1_000);
        ImageCodec codec = new ImageCodec(ImageSettings.defaults(), budget);
        ImageFailureException failure = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (PixelBudget.Permit held = budget.acquire(1_000)) {
                codec.process(bomb);
                throw new AssertionError("a declared bomb was processed");
            } catch (ImageFailureException e) {
                return e;
            }
        });
        assertThat(failure.code()).as(failure.getMessage()).isEqualTo(ErrorCode.TOO_MANY_PIXELS);
    }

    private static int indexOf(byte[] bytes, byte[] sequence) {
        for (int i = 0; i + sequence.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + sequence.length, sequence, 0, sequence.length)) {
                return i;
            }
        }
        throw new AssertionError("sequence not found");
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        throw new AssertionError("byte " + value + " not found");
    }
}
