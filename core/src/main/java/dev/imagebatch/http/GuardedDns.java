package dev.imagebatch.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.Dns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a {@link Dns} and keeps only the addresses the policy allows. OkHttp connects to exactly
 * the addresses returned here, so a name cannot be re-pointed (DNS rebinding) between the check
 * and the connection. Safe for concurrent use when the delegate is.
 */
final class GuardedDns implements Dns {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedDns.class);

    private final Dns delegate;
    private final AddressPolicy policy;

    GuardedDns(Dns delegate, AddressPolicy policy) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Whether {@code dns} already enforces {@code policy}, so wrapping it again is pointless. */
    static boolean enforces(Dns dns, AddressPolicy policy) {
        return dns instanceof GuardedDns guarded && guarded.policy.equals(policy);
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> resolved = delegate.lookup(hostname);
        List<InetAddress> allowed = new ArrayList<>(resolved.size());
        for (InetAddress address : resolved) {
            if (policy.isAllowed(address)) {
                allowed.add(address);
            } else {
                LOG.debug("Dropping refused address {} of host {}", address.getHostAddress(), hostname);
            }
        }
        if (allowed.isEmpty()) {
            if (resolved.isEmpty()) {
                throw new UnknownHostException("host " + hostname + " has no addresses");
            }
            throw new BlockedAddressException(hostname, "resolves only to addresses refused by the address policy");
        }
        return allowed;
    }
}
