package dev.imagebatch.http;

import static dev.imagebatch.http.Ips.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "127.0.0.1, 127.0.0.1/32",
        "' 192.168.0.0/16 ', 192.168.0.0/16",
        "0.0.0.0/0, 0.0.0.0/0",
        "fe80::/10, fe80::/10",
        "FC00::/7, fc00::/7",
        "::1, ::1/128",
        "::/0, ::/0",
        "2001:db8:0:0:0:0:0:0/32, 2001:db8::/32",
        "64:ff9b::/96, 64:ff9b::/96",
        "::ffff:0:0/96, ::ffff:0:0/96",
        "2001:0:0:1:0:0:0:0/64, 2001:0:0:1::/64",
    })
    void parsesToCanonicalForm(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical);
        assertThat(Cidr.parse(canonical)).isEqualTo(Cidr.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.1, true",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "100.64.0.0/10, 100.127.0.1, true",
        "100.64.0.0/10, 100.128.0.1, false",
        "127.0.0.1/32, 127.0.0.1, true",
        "127.0.0.1/32, 127.0.0.2, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "0.0.0.0/0, ::1, false",
        "fe80::/10, febf::1, true",
        "fe80::/10, fec0::1, false",
        "::/0, ::1, true",
        "::/0, 8.8.8.8, false",
        "127.0.0.0/8, ::ffff:127.0.0.1, true",
    })
    void containment(String range, String address, boolean expected) {
        assertThat(Cidr.parse(range).contains(ip(address))).isEqualTo(expected);
    }

    @Test
    void ipv4MappedIpv6AddressIsMatchedAsIpv4() throws Exception {
        // Inet6Address.getByAddress keeps the mapped form that InetAddress.getByAddress would convert.
        Inet6Address mapped = Inet6Address.getByAddress(null, IpText.parseIpv6("::ffff:10.1.2.3"), -1);
        assertThat(Cidr.parse("10.0.0.0/8").contains(mapped)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0/8", "10.0.0.0.0/8",
        "010.0.0.0/8", "256.0.0.0/8", "1.2.3.4/8", "10.0.0.1/8", "localhost/8", "example.com",
        "fe80::/129", "fe80::1/10", "fe80:::/10", ":::/0", "1:2:3:4:5:6:7:8:9/128", "fe80::1%eth0/128",
        "[::1]/128", "::g/128", "12345::/16", "1.2.3.4/008x", "१.२.३.४/32",
    })
    void rejectsBadInput(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid CIDR '" + text + "'");
    }

    @Test
    void hostBitsErrorSuggestsTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8")).hasMessageContaining("did you mean 10.0.0.0/8");
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> Cidr.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void reportsFamilyAndPrefix() {
        assertThat(Cidr.parse("10.0.0.0/8").isIpv4()).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").prefixLength()).isEqualTo(8);
        assertThat(Cidr.parse("fc00::/7").isIpv4()).isFalse();
        assertThat(Cidr.parse("fc00::/7").prefixLength()).isEqualTo(7);
    }
}
