package dev.imagebatch.image;

import java.nio.charset.StandardCharsets;

/**
 * How a JPEG declares its colours, read from its header segments: the number of components in
 * the frame header, the transform of an Adobe APP14 segment, and whether an ICC profile is
 * embedded (APP2 {@code ICC_PROFILE}).
 *
 * @param components     components in the first frame header, 0 if none was found
 * @param adobeTransform the Adobe transform (0 none/CMYK, 1 YCbCr, 2 YCCK), or -1 without APP14
 * @param hasIccProfile  whether an APP2 ICC profile segment is present
 */
record JpegColourLayout(int components, int adobeTransform, boolean hasIccProfile) {

    static final int ADOBE_YCCK = 2;

    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE_ID = "Adobe".getBytes(StandardCharsets.ISO_8859_1);
    private static final int APP2 = 0xE2;
    private static final int APP14 = 0xEE;
    /** Offset of the transform byte in an APP14 payload: "Adobe", version, flags0, flags1. */
    private static final int ADOBE_TRANSFORM_OFFSET = 11;

    static JpegColourLayout of(byte[] jpeg) {
        int components = 0;
        int transform = -1;
        boolean icc = false;
        for (JpegSegments.Segment s : JpegSegments.headerSegments(jpeg)) {
            int length = s.end() - s.payload();
            if (isFrameHeader(s.marker()) && components == 0 && length >= 6) {
                components = jpeg[s.payload() + 5] & 0xFF;
            } else if (s.marker() == APP14 && length > ADOBE_TRANSFORM_OFFSET && startsWith(jpeg, s.payload(), ADOBE_ID)) {
                transform = jpeg[s.payload() + ADOBE_TRANSFORM_OFFSET] & 0xFF;
            } else if (s.marker() == APP2 && length > ICC_ID.length && startsWith(jpeg, s.payload(), ICC_ID)) {
                icc = true;
            }
        }
        return new JpegColourLayout(components, transform, icc);
    }

    /** Four components and no profile to interpret them: CMYK or YCCK that needs a device conversion. */
    boolean isUnprofiledCmyk() {
        return components == 4 && !hasIccProfile;
    }

    /** SOF0..SOF15, which exclude DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (at + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
