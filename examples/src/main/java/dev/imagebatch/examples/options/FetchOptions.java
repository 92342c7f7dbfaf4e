package dev.imagebatch.examples.options;

import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which addresses images (and webhooks) may be fetched from, and the per-download limits. Shared by
 * every command that processes images.
 *
 * <p>By default only public addresses are contacted: a CSV is untrusted input, and a URL pointing
 * at {@code 127.0.0.1} or a cloud metadata address must not make this process reach it. The
 * {@code --allow-*} flags open ranges on purpose, for local test servers or an intranet image host.
 */
public final class FetchOptions {

    @Option(names = "--allow-loopback",
            description = "Also contact loopback addresses (127.0.0.0/8, ::1), for image servers on this machine.")
    boolean allowLoopback;

    @Option(names = "--allow-cidr", paramLabel = "CIDR",
            description = "Also contact this address range, e.g. 10.0.0.0/8 for an intranet image host. Repeatable.")
    List<String> allowCidrs = new ArrayList<>();

    @Option(names = "--max-bytes", paramLabel = "BYTES",
            description = "Largest image download accepted, in bytes (default: 26214400, 25 MiB).")
    Long maxBytes;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time to open a connection (default: 5s).")
    Duration connectTimeout;

    @Option(names = "--read-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest silence while reading an answer (default: 10s).")
    Duration readTimeout;

    @Option(names = "--call-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time for one download attempt, redirects and body included (default: 30s).")
    Duration callTimeout;

    /** The public-only policy plus the ranges the flags opened. */
    public AddressPolicy addressPolicy() {
        AddressPolicy policy = AddressPolicy.publicOnly();
        if (allowLoopback) {
            policy = policy.allow("127.0.0.0/8").allow("::1/128");
        }
        for (String cidr : allowCidrs) {
            policy = policy.allow(cidr);
        }
        return policy;
    }

    /**
     * A fetcher with these limits; the caller closes it.
     *
     * @throws IllegalArgumentException if a flag's value is out of range or a CIDR is malformed
     */
    public OkHttpImageFetcher fetcher() {
        OkHttpImageFetcher.Builder builder = OkHttpImageFetcher.builder().addressPolicy(addressPolicy());
        if (maxBytes != null) {
            builder.maxBytes(maxBytes);
        }
        if (connectTimeout != null) {
            builder.connectTimeout(connectTimeout);
        }
        if (readTimeout != null) {
            builder.readTimeout(readTimeout);
        }
        if (callTimeout != null) {
            builder.callTimeout(callTimeout);
        }
        return builder.build();
    }
}
