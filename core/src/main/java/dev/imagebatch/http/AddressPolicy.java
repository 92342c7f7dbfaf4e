package dev.imagebatch.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides which IP addresses the library may connect to on behalf of untrusted URLs.
 *
 * <p>{@link #publicOnly()} refuses every address that is not ordinary public unicast:
 * <ul>
 *   <li>IPv4: unspecified {@code 0.0.0.0/8}, private {@code 10/8}, {@code 172.16/12},
 *       {@code 192.168/16}, shared/CGNAT {@code 100.64/10}, loopback {@code 127/8}, link-local
 *       {@code 169.254/16} (cloud metadata endpoints live here), IETF protocol assignments
 *       {@code 192.0.0/24}, documentation {@code 192.0.2/24}, {@code 198.51.100/24},
 *       {@code 203.0.113/24}, the 6to4 relay anycast {@code 192.88.99/24}, benchmarking
 *       {@code 198.18/15}, multicast {@code 224/4} and reserved {@code 240/4} including the
 *       broadcast address.</li>
 *   <li>IPv6: unspecified {@code ::}, loopback {@code ::1}, link-local {@code fe80::/10},
 *       deprecated site-local {@code fec0::/10}, unique-local {@code fc00::/7}, multicast
 *       {@code ff00::/8}, discard-only {@code 100::/64}, Teredo {@code 2001::/32}, benchmarking
 *       {@code 2001:2::/48}, ORCHID {@code 2001:10::/28} and {@code 2001:20::/28}, documentation
 *       {@code 2001:db8::/32} and {@code 3fff::/20}, SRv6 SIDs {@code 5f00::/16} and local-use
 *       NAT64 {@code 64:ff9b:1::/48}.</li>
 *   <li>IPv6 forms that embed an IPv4 address are judged by that IPv4 address: IPv4-mapped
 *       {@code ::ffff:0:0/96}, IPv4-translated {@code ::ffff:0:0:0/96}, IPv4-compatible
 *       {@code ::/96}, NAT64 {@code 64:ff9b::/96} and 6to4 {@code 2002::/16}. So
 *       {@code [::ffff:127.0.0.1]}, {@code [64:ff9b::a00:1]} and {@code [2002:7f00:1::]} are all
 *       refused like the IPv4 address inside them.</li>
 * </ul>
 *
 * <p>{@link #allow(String)} returns a policy that additionally accepts a range, taking precedence
 * over the refusals above (for example {@code 10.0.0.0/8} for an intranet image server, or
 * {@code 127.0.0.0/8} in tests). {@link #allowAll()} accepts everything and is meant for tests.
 *
 * <p>Immutable and safe for concurrent use; no method performs DNS lookups.
 */
public final class AddressPolicy {

    private static final List<Cidr> REFUSED = parseAll(
            // IPv4
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
            "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            // IPv6
            "::/128", "::1/128", "100::/64", "2001::/32", "2001:2::/48", "2001:10::/28",
            "2001:20::/28", "2001:db8::/32", "3fff::/20", "5f00::/16", "64:ff9b:1::/48",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");

    /** IPv6 ranges whose last 32 bits are an IPv4 address (mapped, translated, compatible, NAT64). */
    private static final List<Cidr> IPV4_IN_LAST_32_BITS = parseAll(
            "::ffff:0:0/96", "::ffff:0:0:0/96", "::/96", "64:ff9b::/96");

    /** 6to4: the IPv4 address follows the 16-bit prefix. */
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private static final AddressPolicy PUBLIC_ONLY = new AddressPolicy(false, List.of());
    private static final AddressPolicy ALLOW_ALL = new AddressPolicy(true, List.of());

    private final boolean allowAll;
    private final List<Cidr> allowed;

    private AddressPolicy(boolean allowAll, List<Cidr> allowed) {
        this.allowAll = allowAll;
        this.allowed = List.copyOf(allowed);
    }

    /**
     * The default policy: only public unicast addresses are allowed (see the class description
     * for every refused range).
     *
     * @return the shared public-only policy
     */
    public static AddressPolicy publicOnly() {
        return PUBLIC_ONLY;
    }

    /**
     * A policy that allows every address, loopback and private ones included. Only for tests or
     * fully trusted input: it switches SSRF protection off.
     *
     * @return the shared allow-all policy
     */
    public static AddressPolicy allowAll() {
        return ALLOW_ALL;
    }

    /**
     * A copy of this policy that also allows the given range, overriding the built-in refusals.
     *
     * @param cidr a range such as {@code "10.0.0.0/8"} or {@code "::1/128"}; not null
     * @return a new policy; this one is unchanged
     * @throws IllegalArgumentException if {@code cidr} is not a valid range (see {@link Cidr#parse})
     */
    public AddressPolicy allow(String cidr) {
        return allow(Cidr.parse(cidr));
    }

    /**
     * A copy of this policy that also allows the given range, overriding the built-in refusals.
     *
     * @param cidr the range; not null
     * @return a new policy; this one is unchanged
     */
    public AddressPolicy allow(Cidr cidr) {
        Objects.requireNonNull(cidr, "cidr");
        if (allowAll || allowed.contains(cidr)) {
            return this;
        }
        List<Cidr> ranges = new ArrayList<>(allowed);
        ranges.add(cidr);
        return new AddressPolicy(false, ranges);
    }

    /**
     * Whether a connection to {@code address} is permitted.
     *
     * @param address a resolved address; not null
     * @return {@code true} if the library may connect to it
     */
    public boolean isAllowed(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return allowAll || isAllowed(IpText.normalizedBytes(address));
    }

    private boolean isAllowed(byte[] bytes) {
        for (Cidr range : allowed) {
            if (range.containsBytes(bytes)) {
                return true;
            }
        }
        for (Cidr range : REFUSED) {
            if (range.containsBytes(bytes)) {
                return false;
            }
        }
        byte[] embedded = embeddedIpv4(bytes);
        return embedded == null || isAllowed(embedded);
    }

    private static byte[] embeddedIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return null;
        }
        for (Cidr range : IPV4_IN_LAST_32_BITS) {
            if (range.containsBytes(bytes)) {
                return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
            }
        }
        if (SIX_TO_FOUR.containsBytes(bytes)) {
            return new byte[] {bytes[2], bytes[3], bytes[4], bytes[5]};
        }
        return null;
    }

    /** {@return whether this policy allows every address, as {@link #allowAll()} does} */
    public boolean allowsEverything() {
        return allowAll;
    }

    /** {@return the ranges added with {@link #allow}, in the order they were added; unmodifiable} */
    public List<Cidr> allowedRanges() {
        return allowed;
    }

    private static List<Cidr> parseAll(String... ranges) {
        List<Cidr> parsed = new ArrayList<>();
        for (String range : ranges) {
            parsed.add(Cidr.parse(range));
        }
        return List.copyOf(parsed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressPolicy that && allowAll == that.allowAll
                && allowed.equals(that.allowed);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(allowAll) * 31 + allowed.hashCode();
    }

    @Override
    public String toString() {
        if (allowAll) {
            return "AddressPolicy[allow all]";
        }
        return allowed.isEmpty() ? "AddressPolicy[public only]" : "AddressPolicy[public only, plus " + allowed + "]";
    }
}
