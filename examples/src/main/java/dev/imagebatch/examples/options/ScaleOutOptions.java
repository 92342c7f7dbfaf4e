package dev.imagebatch.examples.options;

import dev.imagebatch.ScaleOutSettings;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Sharing requests with other instances on the same S3 bucket: whether to, and the chunk size,
 * leases and polling (see the README's "Several instances" section).
 */
public final class ScaleOutOptions {

    @Option(names = "--scale-out",
            description = "Share requests with other instances on the same bucket (needs --storage s3): requests are "
                    + "split into chunks that any instance claims; a dead instance's chunks are taken over.")
    boolean enabled;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "This instance's name in leases, [A-Za-z0-9._-] (default: a random UUID).")
    String instanceId;

    @Option(names = "--chunk-rows", paramLabel = "N", description = "Input rows per chunk (default: 50).")
    Integer chunkRows;

    @Option(names = "--lease", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a claim holds without renewal (default: 30s).")
    Duration lease;

    @Option(names = "--renew-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often a holder renews its lease; below lease minus skew (default: 10s).")
    Duration renewInterval;

    @Option(names = "--max-clock-skew", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Clock difference tolerated between instances (default: 5s).")
    Duration maxClockSkew;

    @Option(names = "--poll-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often an idle instance looks for work (default: 1s).")
    Duration pollInterval;

    @Option(names = "--accept-only",
            description = "With serve --scale-out: accept uploads and answer status, but leave all processing to other "
                    + "instances (workers).")
    boolean acceptOnly;

    @Option(names = "--max-chunks", paramLabel = "N", description = "Chunks this instance works on at once (default: 2).")
    Integer maxChunks;

    /** Whether {@code --scale-out} was given. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The settings these flags give, when {@code --scale-out} was given or {@code force} is true.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public Optional<ScaleOutSettings> settings(boolean force) {
        if (!enabled && !force) {
            return Optional.empty();
        }
        ScaleOutSettings.Builder builder = ScaleOutSettings.builder();
        if (instanceId != null) {
            builder.instanceId(instanceId);
        }
        if (chunkRows != null) {
            builder.chunkRows(chunkRows);
        }
        if (lease != null) {
            builder.leaseDuration(lease);
        }
        if (renewInterval != null) {
            builder.renewInterval(renewInterval);
        }
        if (maxClockSkew != null) {
            builder.maxClockSkew(maxClockSkew);
        }
        if (pollInterval != null) {
            builder.pollInterval(pollInterval);
        }
        if (maxChunks != null) {
            builder.maxChunks(maxChunks);
        }
        builder.takesWork(!acceptOnly);
        return Optional.of(builder.build());
    }
}
