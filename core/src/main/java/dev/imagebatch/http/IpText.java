package dev.imagebatch.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Parsing and formatting of IP address text without ever touching DNS. {@link InetAddress#getByName}
 * falls back to a name lookup for anything it does not recognise, so nothing here uses it.
 *
 * <p>Stateless; safe for concurrent use.
 */
final class IpText {

    private static final int MAX_IPV4_VALUE_DIGITS = 12;

    private IpText() {
    }

    /**
     * Strict dotted-quad IPv4 ({@code 10.0.0.1}): four decimal parts 0..255 without leading zeros.
     *
     * @return the four address bytes, or {@code null} if {@code text} is not in that form
     */
    static byte[] parseStrictIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !allDigits(part, 10)
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /**
     * IPv6 text without brackets or zone ({@code fe80::1}, {@code ::ffff:127.0.0.1}).
     *
     * @return the sixteen address bytes, or {@code null} if {@code text} is not a valid IPv6 address
     */
    static byte[] parseIpv6(String text) {
        int n = text.length();
        if (n < 2 || n > 45) {
            return null;
        }
        byte[] out = new byte[16];
        int groups = 0;
        int compressAt = -1;
        int i = 0;
        if (text.startsWith("::")) {
            compressAt = 0;
            i = 2;
        } else if (text.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            if (groups == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < n && i - start < 5 && hexValue(text.charAt(i)) >= 0) {
                value = value * 16 + hexValue(text.charAt(i));
                i++;
            }
            if (i < n && text.charAt(i) == '.') {
                // A trailing dotted quad fills the last two groups.
                byte[] v4 = groups <= 6 ? parseStrictIpv4(text.substring(start)) : null;
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, groups * 2, 4);
                groups += 2;
                break;
            }
            int length = i - start;
            if (length == 0 || length > 4) {
                return null;
            }
            out[groups * 2] = (byte) (value >>> 8);
            out[groups * 2 + 1] = (byte) value;
            groups++;
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && text.charAt(i) == ':') {
                if (compressAt >= 0) {
                    return null;
                }
                compressAt = groups;
                i++;
            } else if (i == n) {
                return null;
            }
        }
        if (compressAt < 0) {
            return groups == 8 ? out : null;
        }
        if (groups == 8) {
            return null;
        }
        int tailBytes = (groups - compressAt) * 2;
        System.arraycopy(out, compressAt * 2, out, 16 - tailBytes, tailBytes);
        java.util.Arrays.fill(out, compressAt * 2, 16 - tailBytes, (byte) 0);
        return out;
    }

    /**
     * Reads a URL host the way browsers (WHATWG URL standard) and the C library's
     * {@code inet_aton} do when its last label is numeric: one to four parts, each decimal, octal
     * (leading {@code 0}) or hexadecimal ({@code 0x}), the last part filling the remaining bytes.
     * So {@code 127.1}, {@code 2130706433}, {@code 0x7f000001} and {@code 0177.0.0.1} all mean
     * 127.0.0.1. A single trailing dot is ignored.
     *
     * @param host a URL host as {@code HttpUrl} gives it (lower case, no brackets)
     * @return the four address bytes, or {@code null} if the host does not end in a number (a name)
     * @throws IllegalArgumentException if the host ends in a number but is not a valid IPv4 address
     */
    static byte[] parseUrlIpv4(String host) {
        String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = trimmed.split("\\.", -1);
        if (!isNumber(parts[parts.length - 1])) {
            return null;
        }
        if (parts.length > 4) {
            throw new IllegalArgumentException("too many parts in numeric host");
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parseNumber(parts[i]);
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                throw new IllegalArgumentException("numeric host part out of range");
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[parts.length - 1];
        if (last >= (1L << (8 * (5 - parts.length)))) {
            throw new IllegalArgumentException("numeric host out of range");
        }
        address |= last;
        return new byte[] {
            (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        };
    }

    /** An {@link InetAddress} for raw bytes; never resolves anything. */
    static InetAddress toAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes", e);
        }
    }

    /**
     * The address bytes with IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) reduced to the four IPv4
     * bytes, so that both spellings of one IPv4 address are judged alike.
     */
    static byte[] normalizedBytes(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
        }
        return bytes;
    }

    /** Dotted quad for 4 bytes, RFC 5952 compressed lower-case form for 16 bytes. */
    static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int g = 0; g < 8; g++) {
            groups[g] = ((bytes[g * 2] & 0xff) << 8) | (bytes[g * 2 + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; g++) {
            int length = 0;
            while (g + length < 8 && groups[g + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = g;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                text.append("::");
                g += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[g]));
        }
        return text.toString();
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static boolean isNumber(String part) {
        if (part.isEmpty()) {
            return false;
        }
        String lower = part.toLowerCase(Locale.ROOT);
        if (lower.startsWith("0x")) {
            return allDigits(lower.substring(2), 16);
        }
        return allDigits(lower, 10);
    }

    private static long parseNumber(String part) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("empty part in numeric host");
        }
        String digits = part.toLowerCase(Locale.ROOT);
        int radix = 10;
        if (digits.startsWith("0x")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.charAt(0) == '0') {
            radix = 8;
            digits = digits.substring(1);
        }
        if (digits.isEmpty()) {
            return 0;
        }
        if (!allDigits(digits, radix)) {
            throw new IllegalArgumentException("bad digit in numeric host");
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > MAX_IPV4_VALUE_DIGITS) {
            throw new IllegalArgumentException("numeric host out of range");
        }
        long value = Long.parseLong(significant, radix);
        if (value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("numeric host out of range");
        }
        return value;
    }

    private static boolean allDigits(String text, int radix) {
        for (int i = 0; i < text.length(); i++) {
            int value = hexValue(text.charAt(i));
            if (value < 0 || value >= radix) {
                return false;
            }
        }
        return true;
    }

    /** ASCII-only hex digit value; {@link Character#digit} would also accept non-ASCII digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
