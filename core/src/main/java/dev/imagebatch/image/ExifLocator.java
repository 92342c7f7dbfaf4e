package dev.imagebatch.image;

import java.util.Arrays;
import java.util.Optional;

/**
 * Finds the EXIF block (a TIFF structure: byte-order mark, IFD0...) inside an image container by
 * walking the container's segments or chunks; pixels are never touched. Stateless.
 */
final class ExifLocator {

    private static final byte[] EXIF_PREFIX = {'E', 'x', 'i', 'f', 0, 0};

    private ExifLocator() {
    }

    /** The EXIF TIFF structure of {@code b}, if the container holds one where this format keeps it. */
    static Optional<byte[]> find(byte[] b, ImageFormat format) {
        return switch (format) {
            case JPEG -> inJpeg(b);
            case TIFF -> Optional.of(b); // the file itself is the TIFF structure; IFD0 holds the tag
            case PNG -> inPng(b);
            case WEBP -> inWebp(b);
            default -> Optional.empty();
        };
    }

    /** The payload of the first APP1 segment that starts with {@code Exif\0\0}, before the first scan. */
    private static Optional<byte[]> inJpeg(byte[] b) {
        for (JpegSegments.Segment segment : JpegSegments.headerSegments(b)) {
            if (segment.marker() == JpegSegments.APP1 && startsWith(b, segment.payload(), segment.end(), EXIF_PREFIX)) {
                return Optional.of(Arrays.copyOfRange(b, segment.payload() + EXIF_PREFIX.length, segment.end()));
            }
        }
        return Optional.empty();
    }

    /** The data of the {@code eXIf} chunk. */
    private static Optional<byte[]> inPng(byte[] b) {
        long pos = 8;
        while (pos + 12 <= b.length) {
            long length = readInt(b, (int) pos, false) & 0xFFFFFFFFL;
            int type = (int) pos + 4;
            long data = pos + 8;
            if (data + length > b.length) {
                return Optional.empty();
            }
            if (is(b, type, "eXIf")) {
                return Optional.of(stripExifPrefix(Arrays.copyOfRange(b, (int) data, (int) (data + length))));
            }
            if (is(b, type, "IEND")) {
                return Optional.empty();
            }
            pos = data + length + 4; // skip the CRC
        }
        return Optional.empty();
    }

    /** The data of the RIFF {@code EXIF} chunk. */
    private static Optional<byte[]> inWebp(byte[] b) {
        long pos = 12;
        while (pos + 8 <= b.length) {
            long size = readInt(b, (int) pos + 4, true) & 0xFFFFFFFFL;
            long data = pos + 8;
            if (data + size > b.length) {
                return Optional.empty();
            }
            if (is(b, (int) pos, "EXIF")) {
                return Optional.of(stripExifPrefix(Arrays.copyOfRange(b, (int) data, (int) (data + size))));
            }
            pos = data + size + (size & 1); // chunks are padded to even sizes
        }
        return Optional.empty();
    }

    /** Some writers keep the JPEG-style "Exif\0\0" prefix in PNG and WebP chunks. */
    private static byte[] stripExifPrefix(byte[] exif) {
        return startsWith(exif, 0, exif.length, EXIF_PREFIX)
                ? Arrays.copyOfRange(exif, EXIF_PREFIX.length, exif.length) : exif;
    }

    private static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean is(byte[] b, int at, String fourCc) {
        for (int i = 0; i < 4; i++) {
            if (b[at + i] != fourCc.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int readInt(byte[] b, int at, boolean littleEndian) {
        int b0 = b[at] & 0xFF;
        int b1 = b[at + 1] & 0xFF;
        int b2 = b[at + 2] & 0xFF;
        int b3 = b[at + 3] & 0xFF;
        return littleEndian ? b3 << 24 | b2 << 16 | b1 << 8 | b0 : b0 << 24 | b1 << 16 | b2 << 8 | b3;
    }
}
