package dev.imagebatch.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.util.Objects;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Network interceptor: the last check, on the connection actually established, before any byte
 * of the request is written. It catches whatever slipped past the earlier checks (a proxy, a
 * socket factory or a {@code Dns} swapped in by another interceptor, a pooled connection made by
 * someone else). Safe for concurrent use.
 */
final class ConnectionGuard implements Interceptor {

    private final AddressPolicy policy;

    ConnectionGuard(AddressPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String host = chain.request().url().host();
        Connection connection = chain.connection();
        if (connection == null) {
            throw new BlockedAddressException(host, "has no connection that can be checked");
        }
        if (connection.route().proxy().type() != Proxy.Type.DIRECT) {
            throw new BlockedAddressException(host, "is reached through a proxy, which the address policy cannot check");
        }
        InetAddress routed = connection.route().socketAddress().getAddress();
        InetAddress peer = connection.socket().getInetAddress();
        if (routed == null || peer == null || !policy.isAllowed(routed) || !policy.isAllowed(peer)) {
            throw new BlockedAddressException(host, "is connected to an address refused by the address policy");
        }
        return chain.proceed(chain.request());
    }
}
