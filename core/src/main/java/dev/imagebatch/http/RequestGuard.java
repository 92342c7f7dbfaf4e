package dev.imagebatch.http;

import java.io.IOException;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Application interceptor: refuses IP-literal targets before any connection (OkHttp never asks
 * {@code Dns} about them), rewrites numeric hosts to canonical form, and re-applies the guarded
 * {@code Dns} and the direct (proxy-less) route in case an earlier interceptor changed them for
 * this call. Safe for concurrent use.
 */
final class RequestGuard implements Interceptor {

    private final AddressPolicy policy;

    RequestGuard(AddressPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpUrl checked;
        try {
            checked = TargetCheck.check(request.url(), policy);
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException("host " + request.url().host() + " is not a valid IP address");
        }
        Chain guarded = chain;
        if (!GuardedDns.enforces(guarded.getDns(), policy)) {
            guarded = guarded.withDns(new GuardedDns(guarded.getDns(), policy));
        }
        if (guarded.getProxy() != Proxy.NO_PROXY) {
            guarded = guarded.withProxy(Proxy.NO_PROXY);
        }
        if (checked != request.url()) {
            request = request.newBuilder().url(checked).build();
        }
        return guarded.proceed(request);
    }
}
