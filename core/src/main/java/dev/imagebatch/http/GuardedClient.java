package dev.imagebatch.http;

import java.net.Proxy;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * Builds {@link OkHttpClient}s that only ever connect to addresses an {@link AddressPolicy}
 * allows. Every part of the library that sends requests to user-supplied URLs (image downloads,
 * webhooks) uses this one factory.
 *
 * <p>A guarded client:
 * <ul>
 *   <li>refuses IP-literal hosts the policy refuses, in every spelling ({@code 127.1},
 *       {@code 0x7f000001}, {@code [::ffff:127.0.0.1]}...), and {@code localhost} names, before
 *       any connection; numeric hosts are rewritten to their canonical dotted-quad form;</li>
 *   <li>resolves names through the base client's {@code Dns}, keeping only allowed addresses;</li>
 *   <li>checks the address of the connection actually used before writing the request;</li>
 *   <li>never follows redirects (callers must follow them themselves, so that every hop passes
 *       the checks above) and never uses a proxy, because the address a proxy connects to cannot
 *       be checked.</li>
 * </ul>
 * A refused target makes the call fail with {@link BlockedAddressException}; a host that looks
 * numeric but is not a valid address fails with {@link java.net.UnknownHostException}.
 *
 * <p>The returned client shares the base client's connection pool and dispatcher; its owner
 * keeps responsibility for shutting those down. Stateless; safe for concurrent use.
 */
public final class GuardedClient {

    private GuardedClient() {
    }

    /**
     * Derives a guarded client from {@code base} (which is left unchanged).
     *
     * @param base           the client to derive from, such as the host application's client; not
     *                       null. Its {@code Dns} is wrapped, its interceptors kept (they run before
     *                       the guard), its proxy settings overridden.
     * @param policy         which addresses may be contacted; not null
     * @param connectTimeout timeout for establishing a connection; 1 ms or more
     * @param readTimeout    longest silence between bytes while reading (also used for writing)
     * @param callTimeout    limit for one whole call, from DNS to the end of the response body
     * @return a new client; never null
     * @throws IllegalArgumentException if an argument is null or a duration is out of range
     */
    public static OkHttpClient create(OkHttpClient base, AddressPolicy policy, Duration connectTimeout,
                                      Duration readTimeout, Duration callTimeout) {
        Checks.notNull("base", base);
        Checks.notNull("policy", policy);
        Checks.timeout("connectTimeout", connectTimeout);
        Checks.timeout("readTimeout", readTimeout);
        Checks.timeout("callTimeout", callTimeout);
        return base.newBuilder()
                .dns(GuardedDns.enforces(base.dns(), policy) ? base.dns() : new GuardedDns(base.dns(), policy))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .addInterceptor(new RequestGuard(policy))
                .addNetworkInterceptor(new ConnectionGuard(policy))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(callTimeout)
                .build();
    }
}
