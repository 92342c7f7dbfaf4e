package dev.imagebatch.http;

import java.net.InetAddress;

/** Test helper: address literals to {@link InetAddress} without any DNS. */
final class Ips {

    private Ips() {
    }

    static InetAddress ip(String literal) {
        byte[] bytes = literal.indexOf(':') >= 0 ? IpText.parseIpv6(literal) : IpText.parseStrictIpv4(literal);
        if (bytes == null) {
            throw new IllegalArgumentException("bad test literal " + literal);
        }
        return IpText.toAddress(bytes);
    }
}
