package dev.imagebatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetCheckTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 127.0.0.1",
        "127.1, 127.0.0.1",
        "127.0.1, 127.0.0.1",
        "2130706433, 127.0.0.1",
        "0x7f000001, 127.0.0.1",
        "0X7F000001, 127.0.0.1",
        "017700000001, 127.0.0.1",
        "0177.0.0.1, 127.0.0.1",
        "0x7f.1, 127.0.0.1",
        "127.000.000.001, 127.0.0.1",
        "127.0.0.1., 127.0.0.1",
        "0, 0.0.0.0",
        "0x, 0.0.0.0",
        "1.2.3, 1.2.0.3",
        "010.8.8.8, 8.8.8.8",
        "4294967295, 255.255.255.255",
        "::1, ::1",
        "::7f00:1, ::7f00:1",
    })
    void readsNumericHostsLikeBrowsers(String host, String expected) {
        assertThat(IpText.format(TargetCheck.literalAddress(host).getAddress())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost", "localhost.", "a1", "1a.example", "0x7f.example", "1.2.3.0x1g", "xn--nxasmq6b"})
    void namesAreNotLiterals(String host) {
        assertThat(TargetCheck.literalAddress(host)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "256.1.1.1", "1.256.1.1", "1.2.3.4.5", "4294967296", "0x100000000", "09.1.1.1", "1.2.3.08",
        "1..2", "example.123", "99999999999999999999", ":::1", "1::2::3",
    })
    void malformedNumericHostsAreInvalid(String host) {
        assertThatThrownBy(() -> TargetCheck.literalAddress(host)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void allowedNumericHostIsRewrittenToCanonicalForm() throws Exception {
        HttpUrl url = HttpUrl.get("http://0x7f000001:8080/a?b=c");
        HttpUrl checked = TargetCheck.check(url, AddressPolicy.publicOnly().allow("127.0.0.0/8"));
        assertThat(checked.toString()).isEqualTo("http://127.0.0.1:8080/a?b=c");
    }

    @Test
    void canonicalOrNamedHostIsLeftAlone() throws Exception {
        HttpUrl url = HttpUrl.get("http://example.com/a");
        assertThat(TargetCheck.check(url, AddressPolicy.publicOnly())).isSameAs(url);
        HttpUrl literal = HttpUrl.get("http://8.8.8.8/a");
        assertThat(TargetCheck.check(literal, AddressPolicy.publicOnly())).isSameAs(literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost.", "LOCALHOST", "img.localhost", "127.1", "[::1]", "0"})
    void refusedLiteralsAndLocalhostNamesAreBlocked(String host) {
        HttpUrl url = HttpUrl.get("http://" + host + "/");
        assertThatThrownBy(() -> TargetCheck.check(url, AddressPolicy.publicOnly()))
                .isInstanceOf(BlockedAddressException.class);
    }

    @Test
    void localhostNameIsAllowedWhenLoopbackIs() throws Exception {
        HttpUrl url = HttpUrl.get("http://localhost/");
        assertThat(TargetCheck.check(url, AddressPolicy.publicOnly().allow("127.0.0.0/8"))).isSameAs(url);
    }
}
