package dev.imagebatch;

import dev.imagebatch.http.AddressPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * How completion webhooks are sent. Immutable; build with {@link #builder()}.
 *
 * <p>Each finished request with a webhook URL gets one JSON POST, signed as the Standard Webhooks
 * specification describes: headers {@code webhook-id} (the request id, the same on every retry),
 * {@code webhook-timestamp} (Unix seconds of the attempt) and {@code webhook-signature}
 * ({@code v1,} + Base64 of HMAC-SHA256 over {@code id.timestamp.body} keyed with the secret). A
 * secret written {@code whsec_<base64>} is Base64-decoded; any other secret is used as its UTF-8
 * bytes. Without a secret the signature header is left out.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>defaultUrl</td><td>none (only requests submitted with a webhook URL get one)</td></tr>
 *   <tr><td>secret</td><td>none (unsigned)</td></tr>
 *   <tr><td>maxAttempts</td><td>6</td></tr>
 *   <tr><td>initialBackoff</td><td>1 s, doubled per attempt, with jitter</td></tr>
 *   <tr><td>maxBackoff</td><td>5 min</td></tr>
 *   <tr><td>timeout</td><td>10 s for a whole attempt</td></tr>
 *   <tr><td>addressPolicy</td><td>{@link AddressPolicy#publicOnly()}: private and loopback receivers refused</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows the secret.
 */
public final class WebhookSettings {

    private static final WebhookSettings DEFAULTS = builder().build();

    private final Optional<URI> defaultUrl;
    private final byte[] secret;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration timeout;
    private final AddressPolicy addressPolicy;

    private WebhookSettings(Builder b) {
        defaultUrl = b.defaultUrl;
        secret = b.secret;
        maxAttempts = b.maxAttempts;
        initialBackoff = b.initialBackoff;
        maxBackoff = b.maxBackoff;
        timeout = b.timeout;
        addressPolicy = b.addressPolicy;
    }

    /** The defaults listed above. */
    public static WebhookSettings defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    public Optional<URI> defaultUrl() {
        return defaultUrl;
    }

    /** The signing key's bytes (a copy), if a secret is set. */
    public Optional<byte[]> signingKey() {
        return Optional.ofNullable(secret).map(byte[]::clone);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public Duration timeout() {
        return timeout;
    }

    public AddressPolicy addressPolicy() {
        return addressPolicy;
    }

    @Override
    public String toString() {
        return "WebhookSettings[defaultUrl=" + defaultUrl.map(u -> "(set)").orElse("(none)")
                + ", secret=" + (secret == null ? "(none)" : "(set)") + ", maxAttempts=" + maxAttempts
                + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", timeout=" + timeout
                + ", addressPolicy=" + addressPolicy + "]";
    }

    /** Builds {@link WebhookSettings}. Not thread-safe. */
    public static final class Builder {
        private Optional<URI> defaultUrl = Optional.empty();
        private byte[] secret;
        private int maxAttempts = 6;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(5);
        private Duration timeout = Duration.ofSeconds(10);
        private AddressPolicy addressPolicy = AddressPolicy.publicOnly();

        private Builder() {
        }

        /** The webhook URL of requests submitted without one. */
        public Builder defaultUrl(URI url) {
            defaultUrl = Optional.of(SubmitOptions.requireHttpUrl(Objects.requireNonNull(url, "defaultUrl")));
            return this;
        }

        /** The signing secret: {@code whsec_<base64>} or any non-empty text. */
        public Builder secret(String value) {
            Objects.requireNonNull(value, "secret");
            if (value.isEmpty()) {
                throw new IllegalArgumentException("secret must not be empty");
            }
            if (value.startsWith("whsec_")) {
                try {
                    secret = Base64.getDecoder().decode(value.substring("whsec_".length()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("secret starting with whsec_ must continue with Base64", e);
                }
            } else {
                secret = value.getBytes(StandardCharsets.UTF_8);
            }
            return this;
        }

        /** Attempts per webhook, 1..100. */
        public Builder maxAttempts(int value) {
            maxAttempts = ProcessingSettings.Builder.requireRange("maxAttempts", value, 1, 100);
            return this;
        }

        /** Delay before the second attempt; positive. */
        public Builder initialBackoff(Duration value) {
            initialBackoff = ProcessingSettings.Builder.requirePositive("initialBackoff", value);
            return this;
        }

        /** Longest delay between attempts; positive. */
        public Builder maxBackoff(Duration value) {
            maxBackoff = ProcessingSettings.Builder.requirePositive("maxBackoff", value);
            return this;
        }

        /** Time limit of one attempt (connect, send, answer); positive. */
        public Builder timeout(Duration value) {
            timeout = ProcessingSettings.Builder.requirePositive("timeout", value);
            return this;
        }

        /** Which receiver addresses may be contacted. */
        public Builder addressPolicy(AddressPolicy value) {
            addressPolicy = Objects.requireNonNull(value, "addressPolicy");
            return this;
        }

        /** The settings. */
        public WebhookSettings build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
            }
            return new WebhookSettings(this);
        }
    }
}
