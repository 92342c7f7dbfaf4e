package dev.imagebatch;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-request choices made at submission. Immutable.
 *
 * @param webhookUrl where to POST the completion webhook of this request, overriding
 *                   {@link WebhookSettings#defaultUrl()}; must be an absolute http(s) URL
 */
public record SubmitOptions(Optional<URI> webhookUrl) {

    private static final SubmitOptions DEFAULTS = new SubmitOptions(Optional.empty());

    public SubmitOptions {
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        webhookUrl.ifPresent(SubmitOptions::requireHttpUrl);
    }

    /** No per-request choices: the service's defaults apply. */
    public static SubmitOptions defaults() {
        return DEFAULTS;
    }

    /** Options that send this request's webhook to {@code url}. */
    public static SubmitOptions webhook(URI url) {
        return new SubmitOptions(Optional.of(Objects.requireNonNull(url, "url")));
    }

    static URI requireHttpUrl(URI url) {
        String scheme = url.getScheme();
        if (!url.isAbsolute() || url.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("webhook URL must be an absolute http(s) URL with a host");
        }
        return url;
    }

    @Override
    public String toString() {
        return "SubmitOptions[webhookUrl=" + webhookUrl.map(u -> "(set)").orElse("(none)") + "]";
    }
}
