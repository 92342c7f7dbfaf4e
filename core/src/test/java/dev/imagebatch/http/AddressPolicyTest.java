package dev.imagebatch.http;

import static dev.imagebatch.http.Ips.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private static final AddressPolicy PUBLIC_ONLY = AddressPolicy.publicOnly();

    @ParameterizedTest
    @ValueSource(strings = {
        // IPv4 special-purpose ranges, at both ends where it matters
        "0.0.0.0", "0.255.255.255", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255",
        "127.0.0.1", "127.255.255.254", "169.254.0.1", "169.254.169.254", "172.16.0.1", "172.31.255.255",
        "192.0.0.8", "192.0.0.170", "192.0.2.1", "192.88.99.1", "192.168.0.1", "192.168.255.255",
        "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
        "240.0.0.1", "255.255.255.255",
        // IPv6 special-purpose ranges
        "::", "::1", "fe80::1", "febf:ffff::1", "fec0::1", "fc00::1", "fd12:3456:789a::1", "ff02::1",
        "ff0e::fb", "100::1", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1", "2001:10::1",
        "2001:20::1", "2001:db8::1", "3fff::1", "5f00::1", "64:ff9b:1::1",
        // IPv6 forms embedding a refused IPv4 address
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0:127.0.0.1",
        "::ffff:0:a00:1", "::127.0.0.1", "::10.0.0.1", "::0.0.0.2", "64:ff9b::127.0.0.1",
        "64:ff9b::a9fe:a9fe", "64:ff9b::c0a8:101", "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::",
        "2002:a9fe:a9fe:1::1",
    })
    void publicOnlyRefuses(String address) {
        assertThat(PUBLIC_ONLY.isAllowed(ip(address))).as(address).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1.1.1.1", "8.8.8.8", "11.0.0.1", "93.184.216.34", "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.1", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
        "192.0.1.1", "192.88.98.1", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0",
        "223.255.255.255",
        "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001::1", "64:ff9b::808:808",
        "2002:808:808::1", "::ffff:8.8.8.8",
    })
    void publicOnlyAllowsPublicUnicast(String address) {
        assertThat(PUBLIC_ONLY.isAllowed(ip(address))).as(address).isTrue();
    }

    @Test
    void ipv4MappedIpv6ObjectIsJudgedAsIpv4() throws Exception {
        Inet6Address mapped = Inet6Address.getByAddress(null, IpText.parseIpv6("::ffff:127.0.0.1"), -1);
        assertThat(PUBLIC_ONLY.isAllowed(mapped)).isFalse();
        assertThat(PUBLIC_ONLY.allow("127.0.0.0/8").isAllowed(mapped)).isTrue();
    }

    @Test
    void allowOpensOnlyTheGivenRangeAndLeavesTheOriginalUnchanged() {
        AddressPolicy loopback = PUBLIC_ONLY.allow("127.0.0.0/8");

        assertThat(loopback.isAllowed(ip("127.0.0.1"))).isTrue();
        assertThat(loopback.isAllowed(ip("127.9.9.9"))).isTrue();
        assertThat(loopback.isAllowed(ip("::ffff:127.0.0.1"))).isTrue();
        assertThat(loopback.isAllowed(ip("64:ff9b::7f00:1"))).isTrue();
        assertThat(loopback.isAllowed(ip("::1"))).isFalse();
        assertThat(loopback.isAllowed(ip("10.0.0.1"))).isFalse();
        assertThat(loopback.isAllowed(ip("8.8.8.8"))).isTrue();
        assertThat(loopback.allowedRanges()).containsExactly(Cidr.parse("127.0.0.0/8"));

        assertThat(PUBLIC_ONLY.isAllowed(ip("127.0.0.1"))).isFalse();
        assertThat(PUBLIC_ONLY.allowedRanges()).isEmpty();
    }

    @Test
    void allowCanOpenAnIntranetAndAnIpv6Range() {
        AddressPolicy intranet = PUBLIC_ONLY.allow("10.0.0.0/8").allow("::1/128");
        assertThat(intranet.isAllowed(ip("10.20.30.40"))).isTrue();
        assertThat(intranet.isAllowed(ip("::1"))).isTrue();
        assertThat(intranet.isAllowed(ip("192.168.0.1"))).isFalse();
        assertThat(intranet.isAllowed(ip("169.254.169.254"))).isFalse();
    }

    @Test
    void allowAllAllowsEverything() {
        AddressPolicy all = AddressPolicy.allowAll();
        assertThat(all.allowsEverything()).isTrue();
        for (String address : new String[] {"127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "fe80::1", "8.8.8.8"}) {
            assertThat(all.isAllowed(ip(address))).as(address).isTrue();
        }
        assertThat(PUBLIC_ONLY.allowsEverything()).isFalse();
    }

    @Test
    void valueSemantics() {
        assertThat(PUBLIC_ONLY.allow("10.0.0.0/8")).isEqualTo(AddressPolicy.publicOnly().allow("10.0.0.0/8"));
        assertThat(PUBLIC_ONLY.allow("10.0.0.0/8").hashCode())
                .isEqualTo(AddressPolicy.publicOnly().allow("10.0.0.0/8").hashCode());
        assertThat(PUBLIC_ONLY.allow("10.0.0.0/8").allow("10.0.0.0/8").allowedRanges()).hasSize(1);
        assertThat(PUBLIC_ONLY).isNotEqualTo(AddressPolicy.allowAll());
        assertThat(PUBLIC_ONLY.allow("10.0.0.0/8").toString()).contains("10.0.0.0/8");
    }

    @Test
    void badRangeIsRejected() {
        assertThatThrownBy(() -> PUBLIC_ONLY.allow("10.0.0.0/40"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.0/40");
    }
}
