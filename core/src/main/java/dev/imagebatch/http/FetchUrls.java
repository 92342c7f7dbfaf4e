package dev.imagebatch.http;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;
import java.net.URI;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Turns the URLs the fetcher is given (and the redirects it meets) into request URLs. Messages
 * never echo the URL, which may carry credentials.
 */
final class FetchUrls {

    private static final int MAX_SCHEME_IN_MESSAGE = 20;

    private FetchUrls() {
    }

    /**
     * Validates {@code uri} and converts it to the URL to request.
     *
     * @throws ImageFailureException {@code UNSUPPORTED_SCHEME} for a scheme other than http(s),
     *                               {@code INVALID_URL} for relative, host-less or malformed URLs
     */
    static HttpUrl fromUri(URI uri) throws ImageFailureException {
        if (!uri.isAbsolute()) {
            throw new ImageFailureException(ErrorCode.INVALID_URL, "URL is not absolute");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            String shown = scheme.length() > MAX_SCHEME_IN_MESSAGE ? scheme.substring(0, MAX_SCHEME_IN_MESSAGE) + "..." : scheme;
            throw new ImageFailureException(ErrorCode.UNSUPPORTED_SCHEME,
                    "scheme '" + shown + "' is not supported, only http and https");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw new ImageFailureException(ErrorCode.INVALID_URL, "URL has no host");
        }
        HttpUrl url = HttpUrl.parse(uri.toString());
        if (url == null) {
            throw new ImageFailureException(ErrorCode.INVALID_URL, "URL is not a valid http(s) URL");
        }
        if (!hasValidHost(url)) {
            throw new ImageFailureException(ErrorCode.INVALID_URL, "URL host is not a valid IP address");
        }
        return withoutCredentials(url);
    }

    /**
     * Resolves a redirect's {@code Location} against the URL that answered with it.
     *
     * @return the next URL, or {@code null} if the location is unusable (not http(s), malformed)
     */
    static HttpUrl redirectTarget(HttpUrl from, String location) {
        HttpUrl next = from.resolve(location.trim());
        if (next == null || !hasValidHost(next)) {
            return null;
        }
        return withoutCredentials(next);
    }

    /**
     * User info is dropped rather than refused: OkHttp never sends it anyway, and dropping it
     * keeps it out of every later URL, log line and message.
     */
    private static HttpUrl withoutCredentials(HttpUrl url) {
        if (url.encodedUsername().isEmpty() && url.encodedPassword().isEmpty()) {
            return url;
        }
        return url.newBuilder().username("").password("").build();
    }

    private static boolean hasValidHost(HttpUrl url) {
        try {
            TargetCheck.literalAddress(url.host());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
