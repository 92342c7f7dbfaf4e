package dev.imagebatch.image;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Recognises an image format from its magic bytes. Content types sent by servers are never
 * consulted: they are too often wrong. Stateless and thread-safe.
 */
final class FormatSniffer {

    /** How much of the start of a text document is examined for an SVG root element. */
    private static final int SVG_SCAN_LIMIT = 4096;

    /** BMP info header sizes in use (OS/2 1.x, Windows 3.x, the V2..V5 variants, OS/2 2.x). */
    private static final Set<Integer> BMP_HEADER_SIZES = Set.of(12, 16, 40, 52, 56, 64, 108, 124);

    private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");
    private static final Set<String> HEIF_BRANDS =
            Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1");

    private FormatSniffer() {
    }

    static ImageFormat sniff(byte[] b) {
        if (b == null || b.length < 2) {
            return ImageFormat.UNKNOWN;
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return ImageFormat.JPEG;
        }
        // Only "\x89PNG" is required: a PNG whose signature tail was mangled (CR/LF conversion) is
        // still a PNG, one that the decoder then rejects as corrupt.
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G')) {
            return ImageFormat.PNG;
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8') && b.length >= 6 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return ImageFormat.GIF;
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return ImageFormat.WEBP;
        }
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)
                || startsWith(b, 0, 'I', 'I', 43, 0) || startsWith(b, 0, 'M', 'M', 0, 43)) {
            return ImageFormat.TIFF;
        }
        if (isBmp(b)) {
            return ImageFormat.BMP;
        }
        if (startsWith(b, 0, 0xFF, 0x0A)
                || startsWith(b, 0, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', 0x0D, 0x0A, 0x87, 0x0A)) {
            return ImageFormat.JPEG_XL;
        }
        ImageFormat isoMedia = isoMediaFormat(b);
        if (isoMedia != ImageFormat.UNKNOWN) {
            return isoMedia;
        }
        return isSvg(b) ? ImageFormat.SVG : ImageFormat.UNKNOWN;
    }

    /** "BM" alone is too weak (plain text may start so), so the info header size is checked too. */
    private static boolean isBmp(byte[] b) {
        if (b.length < 18 || !startsWith(b, 0, 'B', 'M')) {
            return false;
        }
        int infoSize = (b[14] & 0xFF) | (b[15] & 0xFF) << 8 | (b[16] & 0xFF) << 16 | (b[17] & 0xFF) << 24;
        return BMP_HEADER_SIZES.contains(infoSize);
    }

    /** AVIF and HEIF are ISO BMFF files whose first box is "ftyp"; the brands tell which. */
    private static ImageFormat isoMediaFormat(byte[] b) {
        if (b.length < 16 || !startsWith(b, 4, 'f', 't', 'y', 'p')) {
            return ImageFormat.UNKNOWN;
        }
        long boxSize = ((b[0] & 0xFFL) << 24) | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        int end = (int) Math.min(b.length, Math.max(16, Math.min(boxSize, 4096)));
        boolean heif = false;
        // Major brand at 8, minor version at 12, compatible brands from 16 on.
        for (int at = 8; at + 4 <= end; at += (at == 8 ? 8 : 4)) {
            String brand = new String(b, at, 4, StandardCharsets.ISO_8859_1);
            if (AVIF_BRANDS.contains(brand)) {
                return ImageFormat.AVIF;
            }
            heif |= HEIF_BRANDS.contains(brand);
        }
        return heif ? ImageFormat.HEIC : ImageFormat.UNKNOWN;
    }

    /**
     * An SVG document is XML whose root element is {@code svg}: the prolog (BOM, XML declaration,
     * comments, DOCTYPE) is skipped and the first element name examined. An HTML page that merely
     * contains an inline {@code <svg>} is not an SVG image.
     */
    private static boolean isSvg(byte[] b) {
        int limit = Math.min(b.length, SVG_SCAN_LIMIT);
        String text = new String(b, 0, limit, StandardCharsets.ISO_8859_1);
        int i = text.startsWith("\u00EF\u00BB\u00BF") ? 3 : 0;
        while (true) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (text.startsWith("<?", i)) {
                i = skipPast(text, i, "?>");
            } else if (text.startsWith("<!--", i)) {
                i = skipPast(text, i, "-->");
            } else if (text.regionMatches(true, i, "<!DOCTYPE", 0, 9)) {
                int bracket = text.indexOf('[', i);
                int close = text.indexOf('>', i);
                i = bracket >= 0 && close > bracket ? skipPast(text, bracket, "]>") : skipPast(text, i, ">");
            } else {
                break;
            }
            if (i < 0) {
                return false;
            }
        }
        if (!text.startsWith("<", i)) {
            return false;
        }
        int nameEnd = i + 1;
        while (nameEnd < text.length() && !Character.isWhitespace(text.charAt(nameEnd))
                && text.charAt(nameEnd) != '>' && text.charAt(nameEnd) != '/') {
            nameEnd++;
        }
        String name = text.substring(i + 1, nameEnd);
        String localName = name.substring(name.indexOf(':') + 1); // drops a prefix such as svg:svg
        return localName.equalsIgnoreCase("svg");
    }

    private static int skipPast(String text, int from, String end) {
        int at = text.indexOf(end, from);
        return at < 0 ? -1 : at + end.length();
    }

    private static boolean startsWith(byte[] b, int offset, int... expected) {
        if (b.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
