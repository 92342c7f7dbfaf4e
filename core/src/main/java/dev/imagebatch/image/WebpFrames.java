package dev.imagebatch.image;

/**
 * The sizes that the frames of a WebP file declare in their own bitstream headers.
 *
 * <p>An extended WebP ({@code VP8X}) states a canvas size, and that is the size the reader reports
 * before decoding. The lossy ({@code VP8 }) or lossless ({@code VP8L}) bitstream inside it declares
 * its own frame size, and the decoder allocates for that. A file whose canvas says 64x48 can hold a
 * frame that declares 16383x16383 (fuzzing found one that took seconds and hundreds of megabytes
 * before failing). The codec therefore checks these sizes against the pixel limit too.
 *
 * <p>Only the header fields are read: top-level chunks and the frames inside {@code ANMF} chunks.
 * A chunk length that runs past the end is cut at the end, as the reader does. A frame header is
 * read from the start of its chunk even when the chunk declares fewer bytes than the header takes:
 * the reader does the same, reading on into whatever follows (fuzzing found a {@code VP8 } chunk
 * of length 0 whose "header" was the next bytes of the file, declaring 6399x8447).
 */
final class WebpFrames {

    private static final int RIFF_HEADER = 12;
    private static final int CHUNK_HEADER = 8;
    private static final int ANMF_HEADER = 16;

    private WebpFrames() {
    }

    /**
     * The largest {@code width * height} declared by a frame bitstream in {@code webp}, or 0 if
     * no frame header can be read.
     */
    static long largestFramePixels(byte[] webp) {
        return largest(webp, RIFF_HEADER, webp.length, true);
    }

    private static long largest(byte[] b, int from, int to, boolean topLevel) {
        long largest = 0;
        int at = from;
        while (at + CHUNK_HEADER <= to) {
            String type = new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = u32(b, at + 4);
            int start = at + CHUNK_HEADER;
            int end = (int) Math.min(to, start + size);
            switch (type) {
                case "VP8 " -> largest = Math.max(largest, lossyPixels(b, start, b.length));
                case "VP8L" -> largest = Math.max(largest, losslessPixels(b, start, b.length));
                case "ANMF" -> {
                    if (topLevel) {
                        largest = Math.max(largest, largest(b, start + ANMF_HEADER, end, false));
                    }
                }
                default -> {
                    // other chunks declare no frame size
                }
            }
            long next = start + size + (size & 1);
            if (next > to) {
                break;
            }
            at = (int) next;
        }
        return largest;
    }

    /** Frame tag (3 bytes), start code (3 bytes), then 14-bit width and height. */
    private static long lossyPixels(byte[] b, int start, int end) {
        if (end - start < 10) {
            return 0;
        }
        long width = u16(b, start + 6) & 0x3FFF;
        long height = u16(b, start + 8) & 0x3FFF;
        return width * height;
    }

    /** Signature 0x2F, then 14-bit width - 1 and 14-bit height - 1. */
    private static long losslessPixels(byte[] b, int start, int end) {
        if (end - start < 5) {
            return 0;
        }
        long bits = u32(b, start + 1);
        long width = (bits & 0x3FFF) + 1;
        long height = ((bits >>> 14) & 0x3FFF) + 1;
        return width * height;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
