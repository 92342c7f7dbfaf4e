package dev.imagebatch.image;

import dev.imagebatch.spi.ImageFailureException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Checks the CRCs of a PNG's critical chunks (IHDR, PLTE, IDAT, IEND), which the JDK's PNG
 * reader does not: a file whose critical data is damaged is refused as corrupt, as libpng does.
 * Ancillary chunks with a bad CRC are tolerated (the reader ignores most of them anyway), and a
 * truncated last chunk is left to the decoder. Stateless.
 */
final class PngChunkVerifier {

    private static final int SIGNATURE_LENGTH = 8;

    private PngChunkVerifier() {
    }

    static void verify(byte[] png) throws ImageFailureException {
        CRC32 crc = new CRC32();
        long pos = SIGNATURE_LENGTH;
        while (pos + 12 <= png.length) {
            int at = (int) pos;
            long length = readInt(png, at) & 0xFFFFFFFFL;
            long end = pos + 8 + length + 4;
            if (end > png.length) {
                return;
            }
            boolean critical = (png[at + 4] & 0x20) == 0; // lower-case first letter: ancillary
            if (critical) {
                crc.reset();
                crc.update(png, at + 4, (int) (4 + length));
                long stored = readInt(png, (int) (end - 4)) & 0xFFFFFFFFL;
                if (crc.getValue() != stored) {
                    String type = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
                    throw DecodeFailures.decodeError(ImageFormat.PNG, "CRC mismatch in critical chunk " + type);
                }
            }
            if (png[at + 4] == 'I' && png[at + 5] == 'E' && png[at + 6] == 'N' && png[at + 7] == 'D') {
                return;
            }
            pos = end;
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
