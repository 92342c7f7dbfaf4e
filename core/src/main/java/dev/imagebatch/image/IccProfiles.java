package dev.imagebatch.image;

/**
 * Decides whether an embedded ICC profile describes sRGB closely enough that its samples can be
 * used as sRGB values without colour management: an RGB profile whose red, green and blue
 * colorants are those of sRGB (adapted to D50, as profiles store them) and whose tone curves
 * follow the sRGB curve, or a grey profile whose tone curve does. Matrix/curve profiles only;
 * anything else (lookup-table profiles, other primaries such as Display P3 or Adobe RGB, linear
 * or other curves, damaged data) is "not sRGB". Stateless.
 */
final class IccProfiles {

    /** sRGB colorants adapted to D50 (the values sRGB IEC61966-2.1 profiles carry). */
    private static final double[][] SRGB_COLORANTS = {
            {0.4361, 0.2225, 0.0139}, {0.3851, 0.7169, 0.0971}, {0.1431, 0.0606, 0.7141}};
    private static final double COLORANT_TOLERANCE = 0.01;
    /** In curve output units (0..1): 0.01 is about 2.5 of 255 levels. */
    private static final double CURVE_TOLERANCE = 0.01;
    private static final double[] CURVE_PROBES = {0.05, 0.1, 0.25, 0.5, 0.75, 0.9};

    private IccProfiles() {
    }

    /**
     * @param profile    the whole profile
     * @param components 3 for an RGB image, 1 for a grey one
     */
    static boolean isSrgbLike(byte[] profile, int components) {
        try {
            return check(profile, components);
        } catch (IndexOutOfBoundsException e) {
            return false; // a tag pointing outside the data: damaged, so not usable as sRGB
        }
    }

    private static boolean check(byte[] p, int components) {
        if (p.length < 132) {
            return false;
        }
        String space = ascii(p, 16);
        if (components == 3 ? !space.equals("RGB ") : !space.equals("GRAY")) {
            return false;
        }
        long tagCount = u32(p, 128);
        if (tagCount > (p.length - 132) / 12) {
            return false;
        }
        if (components == 1) {
            return curveIsSrgb(p, findTag(p, (int) tagCount, "kTRC"));
        }
        String[] colorants = {"rXYZ", "gXYZ", "bXYZ"};
        String[] curves = {"rTRC", "gTRC", "bTRC"};
        for (int c = 0; c < 3; c++) {
            int xyz = findTag(p, (int) tagCount, colorants[c]);
            if (xyz < 0 || xyz + 20 > p.length || !ascii(p, xyz).equals("XYZ ")) {
                return false;
            }
            for (int i = 0; i < 3; i++) {
                if (Math.abs(s15Fixed16(p, xyz + 8 + 4 * i) - SRGB_COLORANTS[c][i]) > COLORANT_TOLERANCE) {
                    return false;
                }
            }
            if (!curveIsSrgb(p, findTag(p, (int) tagCount, curves[c]))) {
                return false;
            }
        }
        return true;
    }

    /** Offset of the data of tag {@code signature}, or -1. */
    private static int findTag(byte[] p, int tagCount, String signature) {
        for (int i = 0; i < tagCount; i++) {
            int entry = 132 + 12 * i;
            if (ascii(p, entry).equals(signature)) {
                long offset = u32(p, entry + 4);
                long size = u32(p, entry + 8);
                return offset + size <= p.length && size >= 12 ? (int) offset : -1;
            }
        }
        return -1;
    }

    private static boolean curveIsSrgb(byte[] p, int at) {
        if (at < 0) {
            return false;
        }
        for (double x : CURVE_PROBES) {
            double y = evaluateCurve(p, at, x);
            if (Double.isNaN(y) || Math.abs(y - srgbToLinear(x)) > CURVE_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    /** The curve ('curv' or 'para') at {@code x}, or NaN for another or a damaged type. */
    private static double evaluateCurve(byte[] p, int at, double x) {
        String type = ascii(p, at);
        if (type.equals("curv")) {
            long n = u32(p, at + 8);
            if (at + 12 + 2 * n > p.length) {
                return Double.NaN;
            }
            if (n == 0) {
                return x;
            }
            if (n == 1) {
                return Math.pow(x, u16(p, at + 12) / 256.0);
            }
            double position = x * (n - 1);
            int i = (int) Math.floor(position);
            int j = (int) Math.min(n - 1, i + 1L);
            double f = position - i;
            return ((1 - f) * u16(p, at + 12 + 2 * i) + f * u16(p, at + 12 + 2 * j)) / 65535.0;
        }
        if (type.equals("para")) {
            int function = u16(p, at + 8);
            int[] counts = {1, 3, 4, 5, 7};
            if (function > 4 || at + 12 + 4 * counts[function] > p.length) {
                return Double.NaN;
            }
            double[] a = new double[7];
            for (int i = 0; i < counts[function]; i++) {
                a[i] = s15Fixed16(p, at + 12 + 4 * i);
            }
            double g = a[0];
            return switch (function) {
                case 0 -> Math.pow(x, g);
                case 1 -> x >= -a[2] / a[1] ? Math.pow(a[1] * x + a[2], g) : 0;
                case 2 -> x >= -a[2] / a[1] ? Math.pow(a[1] * x + a[2], g) + a[3] : a[3];
                case 3 -> x >= a[4] ? Math.pow(a[1] * x + a[2], g) : a[3] * x;
                default -> x >= a[4] ? Math.pow(a[1] * x + a[2], g) + a[5] : a[3] * x + a[6];
            };
        }
        return Double.NaN;
    }

    private static double srgbToLinear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    private static String ascii(byte[] p, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (p[at + i] & 0xFF);
        }
        return new String(c);
    }

    private static long u32(byte[] p, int at) {
        return (p[at] & 0xFFL) << 24 | (p[at + 1] & 0xFF) << 16 | (p[at + 2] & 0xFF) << 8 | (p[at + 3] & 0xFF);
    }

    private static int u16(byte[] p, int at) {
        return (p[at] & 0xFF) << 8 | (p[at + 1] & 0xFF);
    }

    private static double s15Fixed16(byte[] p, int at) {
        return (int) u32(p, at) / 65536.0;
    }
}
