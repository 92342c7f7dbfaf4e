package dev.imagebatch.http;

import java.net.InetAddress;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Checks a URL host that OkHttp would connect to without consulting {@code Dns}: IP literals.
 *
 * <p>OkHttp passes any host made only of digits and dots (and any host with a colon) straight
 * to {@link InetAddress#getByName}, which reads {@code 127.1} as 127.0.0.1, reads
 * {@code 0177.0.0.1} as 177.0.0.1 while browsers read 127.0.0.1, and looks {@code 127.0.0.1.}
 * up in DNS. To leave no room between what is checked and what is connected to, every host that
 * ends in a number is parsed once here with the browser rules, checked, and rewritten to its plain
 * dotted-quad form before the request proceeds. Names ending in {@code localhost} are judged as
 * loopback without a lookup. Everything else is a name that reaches {@link GuardedDns}.
 *
 * <p>Stateless; safe for concurrent use.
 */
final class TargetCheck {

    private static final InetAddress LOOPBACK = IpText.toAddress(new byte[] {127, 0, 0, 1});

    private TargetCheck() {
    }

    /**
     * The IP address a URL host denotes literally.
     *
     * @param host a host as {@link HttpUrl#host()} returns it
     * @return the address, or {@code null} if the host is a name
     * @throws IllegalArgumentException if the host looks numeric but is not a valid address
     */
    static InetAddress literalAddress(String host) {
        if (host.indexOf(':') >= 0) {
            byte[] v6 = IpText.parseIpv6(host);
            if (v6 == null) {
                throw new IllegalArgumentException("malformed IPv6 host");
            }
            return IpText.toAddress(v6);
        }
        byte[] v4 = IpText.parseUrlIpv4(host);
        return v4 == null ? null : IpText.toAddress(v4);
    }

    /**
     * Checks {@code url}'s host against {@code policy} where that is possible without DNS.
     *
     * @return {@code url}, or a copy whose numeric host is rewritten to canonical form
     * @throws BlockedAddressException  if the host is a refused literal or a localhost name
     * @throws IllegalArgumentException if the host looks numeric but is not a valid address
     */
    static HttpUrl check(HttpUrl url, AddressPolicy policy) throws BlockedAddressException {
        String host = url.host();
        InetAddress literal = literalAddress(host);
        if (literal != null) {
            if (!policy.isAllowed(literal)) {
                throw new BlockedAddressException(host, "is an address refused by the address policy");
            }
            String canonical = IpText.format(IpText.normalizedBytes(literal));
            return canonical.equals(host) ? url : url.newBuilder().host(canonical).build();
        }
        if (isLocalhostName(host) && !policy.isAllowed(LOOPBACK)) {
            throw new BlockedAddressException(host, "is a loopback name refused by the address policy");
        }
        return url;
    }

    private static boolean isLocalhostName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        name = name.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || name.endsWith(".localhost");
    }
}
