package dev.imagebatch.http;

import java.net.UnknownHostException;

/**
 * A request was stopped because its target host is, or resolves only to, an address that the
 * {@link AddressPolicy} refuses. Thrown by calls made with a {@link GuardedClient} before any
 * byte of the request is sent.
 *
 * <p>It extends {@link UnknownHostException} because OkHttp's {@code Dns} may only throw that
 * type; catch this class first when the two must be told apart. The message names the host but
 * never the addresses it resolved to, so that it can be shown to whoever supplied the URL without
 * revealing internal DNS.
 */
public final class BlockedAddressException extends UnknownHostException {

    private static final long serialVersionUID = 1L;

    /** The refused host. */
    private final String host;

    /**
     * @param host   the URL host that was refused; not null
     * @param detail why, for example {@code "resolves only to refused addresses"}
     */
    public BlockedAddressException(String host, String detail) {
        super("host " + host + " " + detail);
        this.host = host;
    }

    /** {@return the URL host that was refused, as written in the (canonicalised) URL} */
    public String host() {
        return host;
    }
}
