package dev.imagebatch.internal;

import java.net.URI;

/** Makes URLs safe to log: user info and query strings may carry credentials or tokens. */
final class Redaction {

    private Redaction() {
    }

    static String url(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return "(unparseable URL)";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() != null ? "?…" : "");
        } catch (IllegalArgumentException e) {
            return "(unparseable URL)";
        }
    }
}
