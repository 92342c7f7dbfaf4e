package dev.imagebatch.csv;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks one image URL taken from an input cell and describes bad ones safely. */
final class UrlCheck {

    /** Long URLs are cut in messages so that one cell cannot flood a problem list. */
    private static final int SHOWN_CHARS = 200;

    private UrlCheck() {
    }

    /**
     * What is wrong with the URL at 1-based {@code position}, or {@code null} if it is an absolute
     * http(s) URL with a host, no longer than {@code maxLength}.
     */
    static String problem(int position, String url, int maxLength) {
        if (url.isEmpty()) {
            return "URL " + position + " is empty";
        }
        if (url.length() > maxLength) {
            return "URL " + position + " is " + url.length() + " characters long, more than the limit of "
                    + maxLength + ": " + display(url);
        }
        if (parse(url) == null) {
            return "URL " + position + " is not an absolute http(s) URL: " + display(url);
        }
        return null;
    }

    /** The URL as a {@link URI} if it is absolute http(s) with a host, otherwise {@code null}. */
    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean web = scheme.equals("http") || scheme.equals("https");
        return web && uri.getHost() != null && !uri.getHost().isEmpty() ? uri : null;
    }

    /**
     * The URL as shown in a problem: credentials hidden, control characters escaped, cut to a
     * readable length. The URL need not parse, so this works on the raw text.
     */
    static String display(String url) {
        String redacted = redactUserInfo(url);
        StringBuilder shown = new StringBuilder();
        int end = Math.min(redacted.length(), SHOWN_CHARS);
        for (int i = 0; i < end; i++) {
            char c = redacted.charAt(i);
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04X", (int) c));
            } else {
                shown.append(c);
            }
        }
        return redacted.length() > SHOWN_CHARS ? shown.append("...").toString() : shown.toString();
    }

    /** Replaces anything before the last {@code @} of the authority with {@code ***}. */
    static String redactUserInfo(String url) {
        int slashes = url.indexOf("//");
        if (slashes < 0) {
            return url;
        }
        int authorityStart = slashes + 2;
        int authorityEnd = url.length();
        for (int i = authorityStart; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return url;
        }
        return url.substring(0, authorityStart) + "***" + url.substring(at);
    }
}
