package dev.imagebatch.http;

import okhttp3.HttpUrl;

/**
 * URL text that is safe to log or put in messages: scheme, host, port and path only. User info
 * and the query (which may hold signatures or tokens) are never included.
 */
final class UrlText {

    private UrlText() {
    }

    static String redacted(HttpUrl url) {
        StringBuilder text = new StringBuilder()
                .append(url.scheme()).append("://");
        if (url.host().indexOf(':') >= 0) {
            text.append('[').append(url.host()).append(']');
        } else {
            text.append(url.host());
        }
        if (url.port() != HttpUrl.defaultPort(url.scheme())) {
            text.append(':').append(url.port());
        }
        text.append(url.encodedPath());
        if (url.encodedQuery() != null) {
            text.append("?...");
        }
        return text.toString();
    }
}
