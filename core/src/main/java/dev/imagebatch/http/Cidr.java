package dev.imagebatch.http;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address range in CIDR notation, such as {@code 10.0.0.0/8} or {@code fc00::/7}.
 *
 * <p>Immutable and safe for concurrent use. Parsing never performs DNS lookups. IPv4 addresses
 * must be written as strict dotted quads ({@code 127.0.0.1}, no leading zeros); IPv6 addresses in
 * any standard form without brackets or zone ({@code ::1}, {@code 64:ff9b::192.0.2.1}). Host bits
 * below the prefix must be zero, so a typo such as {@code 10.0.0.1/8} is reported rather than
 * silently widened. IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are matched as their IPv4
 * address.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code address/prefix}, or a bare address meaning a single host ({@code /32} or
     * {@code /128}).
     *
     * @param text the range, for example {@code "127.0.0.0/8"} or {@code "fe80::/10"}; not null
     * @return the range
     * @throws IllegalArgumentException if {@code text} is not a valid range; the message names
     *                                  the input and what is wrong
     * @throws NullPointerException     if {@code text} is null
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "cidr");
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = addressText.indexOf(':') >= 0
                ? IpText.parseIpv6(addressText)
                : IpText.parseStrictIpv4(addressText);
        if (bytes == null) {
            throw new IllegalArgumentException("invalid CIDR '" + text
                    + "': '" + addressText + "' is not an IPv4 dotted quad or an IPv6 address");
        }
        int maxPrefix = bytes.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String prefixText = trimmed.substring(slash + 1);
            if (!prefixText.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("invalid CIDR '" + text + "': prefix length '"
                        + prefixText + "' is not a number");
            }
            prefix = Integer.parseInt(prefixText);
            if (prefix > maxPrefix) {
                throw new IllegalArgumentException("invalid CIDR '" + text + "': prefix length "
                        + prefix + " exceeds " + maxPrefix);
            }
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "': host bits are set below /"
                    + prefix + "; did you mean " + IpText.format(masked) + "/" + prefix + "?");
        }
        return new Cidr(masked, prefix);
    }

    /**
     * Whether {@code address} lies in this range. An IPv4 range never contains an IPv6 address
     * other than an IPv4-mapped one, and vice versa.
     *
     * @param address the address to test; not null
     * @return {@code true} if the address is inside the range
     */
    public boolean contains(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return containsBytes(IpText.normalizedBytes(address));
    }

    /** {@return the prefix length: 0..32 for IPv4, 0..128 for IPv6} */
    public int prefixLength() {
        return prefixLength;
    }

    /** {@return whether this is an IPv4 range} */
    public boolean isIpv4() {
        return network.length == 4;
    }

    boolean containsBytes(byte[] bytes) {
        if (bytes.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int bitMask = (0xff << (8 - remainingBits)) & 0xff;
        return (bytes[fullBytes] & bitMask) == (network[fullBytes] & 0xff);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    /** Canonical form, for example {@code 10.0.0.0/8} or {@code fe80::/10}. */
    @Override
    public String toString() {
        return IpText.format(network) + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && prefixLength == that.prefixLength
                && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }
}
