package dev.imagebatch;

import java.net.URI;

/** Text forms of URLs that are safe to print: no user info, and the query replaced by {@code ?…}. */
final class Urls {

    private Urls() {
    }

    static String withoutQuery(URI url) {
        return withoutQuery(url.toString());
    }

    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query) + "?…";
        int scheme = base.indexOf("://");
        int at = base.indexOf('@');
        int pathStart = scheme < 0 ? -1 : base.indexOf('/', scheme + 3);
        if (scheme >= 0 && at > scheme && (pathStart < 0 || at < pathStart)) {
            base = base.substring(0, scheme + 3) + base.substring(at + 1);
        }
        return base;
    }
}
