package dev.imagebatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BuilderValidationTest {

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                bad("client", "null", b -> b.client(null)),
                bad("addressPolicy", "null", b -> b.addressPolicy(null)),
                bad("connectTimeout", "PT0S", b -> b.connectTimeout(Duration.ZERO)),
                bad("connectTimeout", "PT-1S", b -> b.connectTimeout(Duration.ofSeconds(-1))),
                bad("connectTimeout", "null", b -> b.connectTimeout(null)),
                bad("readTimeout", "PT0.0000001S", b -> b.readTimeout(Duration.ofNanos(100))),
                bad("callTimeout", "PT720H", b -> b.callTimeout(Duration.ofDays(30))),
                bad("maxBytes", "0", b -> b.maxBytes(0)),
                bad("maxBytes", "-5", b -> b.maxBytes(-5)),
                bad("maxBytes", "3000000000", b -> b.maxBytes(3_000_000_000L)),
                bad("maxRedirects", "-1", b -> b.maxRedirects(-1)),
                bad("maxRedirects", "21", b -> b.maxRedirects(21)),
                bad("maxAttempts", "0", b -> b.maxAttempts(0)),
                bad("maxAttempts", "11", b -> b.maxAttempts(11)),
                bad("initialBackoff", "PT0S", b -> b.initialBackoff(Duration.ZERO)),
                bad("maxBackoff", "PT-0.001S", b -> b.maxBackoff(Duration.ofMillis(-1))),
                bad("maxRetryAfter", "PT-1S", b -> b.maxRetryAfter(Duration.ofSeconds(-1))),
                bad("userAgent", "null", b -> b.userAgent(null)),
                bad("userAgent", "' '", b -> b.userAgent(" ")),
                bad("userAgent", "'bad?agent'", b -> b.userAgent("bad\nagent")),
                bad("listener", "null", b -> b.listener(null)));
    }

    private static Arguments bad(String setting, String shownValue, Consumer<OkHttpImageFetcher.Builder> call) {
        return Arguments.of(setting, shownValue, call);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidSettings")
    void rejectsInvalidSettingsNamingSettingAndValue(String setting, String shownValue,
                                                     Consumer<OkHttpImageFetcher.Builder> call) {
        OkHttpImageFetcher.Builder builder = OkHttpImageFetcher.builder();
        assertThatThrownBy(() -> call.accept(builder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(setting)
                .satisfies(e -> {
                    if (!shownValue.equals("null")) {
                        assertThat(e.getMessage()).contains(shownValue);
                    }
                });
    }

    @Test
    void maxBackoffMustNotBeShorterThanInitialBackoff() {
        OkHttpImageFetcher.Builder builder = OkHttpImageFetcher.builder()
                .initialBackoff(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(1));
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBackoff")
                .hasMessageContaining("initialBackoff");
    }

    @Test
    void validExtremesAreAccepted() {
        try (OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder()
                .maxBytes(1).maxRedirects(0).maxAttempts(1).maxRetryAfter(Duration.ZERO)
                .connectTimeout(Duration.ofMillis(1)).userAgent("a").build()) {
            assertThat(fetcher).isNotNull();
        }
    }
}
