package dev.imagebatch.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks the marker segments at the head of a JPEG, from SOI up to the first start-of-scan
 * (SOS), without decoding anything. Malformed data simply ends the walk. Stateless.
 */
final class JpegSegments {

    static final int APP1 = 0xE1;
    static final int SOS = 0xDA;
    private static final int EOI = 0xD9;

    /**
     * One segment.
     *
     * @param marker  the marker code (second byte, e.g. {@code 0xE1} for APP1)
     * @param payload offset of the first byte after the length field
     * @param end     offset just past the segment
     */
    record Segment(int marker, int payload, int end) {
    }

    private JpegSegments() {
    }

    /** The segments before the image data, in file order; the SOS segment is last if present. */
    static List<Segment> headerSegments(byte[] b) {
        return walk(b).segments();
    }

    /**
     * Whether the data is cut before any entropy-coded data follows the first SOS header. A file
     * cut there holds no pixel at all (decoders would still return a uniformly grey picture).
     * Headers that merely look odd (junk between segments) are left for the decoder to judge.
     */
    static boolean endsBeforeScanData(byte[] b) {
        return walk(b).ranOutOfData();
    }

    /** The segments found, and whether the data ended before any byte of the first scan. */
    private record Walk(List<Segment> segments, boolean ranOutOfData) {
    }

    private static Walk walk(byte[] b) {
        List<Segment> segments = new ArrayList<>();
        int pos = 2; // after SOI
        while (true) {
            if (pos + 4 > b.length) {
                return new Walk(segments, true);
            }
            if ((b[pos] & 0xFF) != 0xFF) {
                return new Walk(segments, false); // not at a marker: stop rather than guess
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2; // markers without a length field
                continue;
            }
            if (marker == EOI) {
                return new Walk(segments, false);
            }
            int length = (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
            int end = pos + 2 + length;
            if (length < 2) {
                return new Walk(segments, false);
            }
            if (end > b.length) {
                return new Walk(segments, true);
            }
            segments.add(new Segment(marker, pos + 4, end));
            if (marker == SOS) {
                return new Walk(segments, end >= b.length);
            }
            pos = end;
        }
    }
}
