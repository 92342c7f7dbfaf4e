package dev.imagebatch;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a service shares requests with other instances through a {@link dev.imagebatch.spi.WorkStore}.
 * Immutable; build with {@link #builder()}. Every setter validates its value at once and throws
 * {@link IllegalArgumentException} naming the setting.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>instanceId</td><td>a random UUID</td><td>this instance's name in leases; unique per running process</td></tr>
 *   <tr><td>chunkRows</td><td>50</td><td>input rows per chunk, the unit instances claim</td></tr>
 *   <tr><td>leaseDuration</td><td>30 s</td><td>how long a claim holds without renewal</td></tr>
 *   <tr><td>renewInterval</td><td>10 s</td><td>how often a holder renews its lease; less than
 *       {@code leaseDuration - maxClockSkew}</td></tr>
 *   <tr><td>maxClockSkew</td><td>5 s</td><td>clock difference tolerated between instances: a lease
 *       is taken over only when it expired this long ago by the taker's clock</td></tr>
 *   <tr><td>pollInterval</td><td>1 s</td><td>how often an idle instance looks for claimable work</td></tr>
 *   <tr><td>maxChunks</td><td>2</td><td>chunks this instance works on at once (their images share the
 *       service's in-flight bound)</td></tr>
 *   <tr><td>takesWork</td><td>true</td><td>false for an instance that only accepts requests and answers
 *       status</td></tr>
 *   <tr><td>abandonedSubmitAfter</td><td>2 min</td><td>how long a polling instance waits, by its own
 *       clock from when it first saw it, before it treats an open marker without a request record as a
 *       submission that died and records that request {@code FAILED}; far longer than a submission's
 *       writes take</td></tr>
 * </table>
 *
 * <p><b>Clocks.</b> Lease expiries are wall-clock instants written by the holder and read by
 * others, so they work as intended only while clocks differ by less than {@code maxClockSkew}.
 * Correctness never depends on it: every write of a holder is conditional on the version it last
 * saw, so a holder whose lease was taken over (clock skew, a long pause) fails its next write and
 * stops. Skew beyond the bound costs only duplicated work.
 */
public final class ScaleOutSettings {

    private final String instanceId;
    private final int chunkRows;
    private final Duration leaseDuration;
    private final Duration renewInterval;
    private final Duration maxClockSkew;
    private final Duration pollInterval;
    private final int maxChunks;
    private final boolean takesWork;
    private final Duration abandonedSubmitAfter;

    private ScaleOutSettings(Builder b) {
        instanceId = b.instanceId;
        chunkRows = b.chunkRows;
        leaseDuration = b.leaseDuration;
        renewInterval = b.renewInterval;
        maxClockSkew = b.maxClockSkew;
        pollInterval = b.pollInterval;
        maxChunks = b.maxChunks;
        takesWork = b.takesWork;
        abandonedSubmitAfter = b.abandonedSubmitAfter;
    }

    /** The defaults listed above, with a new random instance id. */
    public static ScaleOutSettings defaults() {
        return builder().build();
    }

    /** A builder holding the defaults and a new random instance id. */
    public static Builder builder() {
        return new Builder();
    }

    public String instanceId() {
        return instanceId;
    }

    public int chunkRows() {
        return chunkRows;
    }

    public Duration leaseDuration() {
        return leaseDuration;
    }

    public Duration renewInterval() {
        return renewInterval;
    }

    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public int maxChunks() {
        return maxChunks;
    }

    public boolean takesWork() {
        return takesWork;
    }

    public Duration abandonedSubmitAfter() {
        return abandonedSubmitAfter;
    }

    @Override
    public String toString() {
        return "ScaleOutSettings[instanceId=" + instanceId + ", chunkRows=" + chunkRows + ", lease=" + leaseDuration
                + ", renew=" + renewInterval + ", skew=" + maxClockSkew + ", poll=" + pollInterval
                + ", maxChunks=" + maxChunks + ", takesWork=" + takesWork + ", abandonedSubmitAfter=" + abandonedSubmitAfter + "]";
    }

    /** Builds {@link ScaleOutSettings}; {@link #build()} checks the durations against each other. */
    public static final class Builder {
        private String instanceId = UUID.randomUUID().toString();
        private int chunkRows = 50;
        private Duration leaseDuration = Duration.ofSeconds(30);
        private Duration renewInterval = Duration.ofSeconds(10);
        private Duration maxClockSkew = Duration.ofSeconds(5);
        private Duration pollInterval = Duration.ofSeconds(1);
        private int maxChunks = 2;
        private boolean takesWork = true;
        private Duration abandonedSubmitAfter = Duration.ofMinutes(2);

        private Builder() {
        }

        /** This instance's name in leases, 1..100 characters of {@code [A-Za-z0-9._-]}. */
        public Builder instanceId(String value) {
            Objects.requireNonNull(value, "instanceId");
            if (!value.matches("[A-Za-z0-9._-]{1,100}")) {
                throw new IllegalArgumentException("instanceId must be 1..100 characters of [A-Za-z0-9._-], got '" + value + "'");
            }
            instanceId = value;
            return this;
        }

        /** Input rows per chunk, 1..100,000. */
        public Builder chunkRows(int value) {
            chunkRows = ProcessingSettings.Builder.requireRange("chunkRows", value, 1, 100_000);
            return this;
        }

        /** How long a claim holds without renewal; positive. */
        public Builder leaseDuration(Duration value) {
            leaseDuration = ProcessingSettings.Builder.requirePositive("leaseDuration", value);
            return this;
        }

        /** How often a holder renews its lease; positive. */
        public Builder renewInterval(Duration value) {
            renewInterval = ProcessingSettings.Builder.requirePositive("renewInterval", value);
            return this;
        }

        /** Clock difference tolerated between instances; zero or more. */
        public Builder maxClockSkew(Duration value) {
            Objects.requireNonNull(value, "maxClockSkew");
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxClockSkew must not be negative, got " + value);
            }
            maxClockSkew = value;
            return this;
        }

        /** How often an idle instance looks for work; positive. */
        public Builder pollInterval(Duration value) {
            pollInterval = ProcessingSettings.Builder.requirePositive("pollInterval", value);
            return this;
        }

        /** Chunks worked on at once, 1..64. */
        public Builder maxChunks(int value) {
            maxChunks = ProcessingSettings.Builder.requireRange("maxChunks", value, 1, 64);
            return this;
        }

        /** Whether this instance claims work (false: it only accepts requests and answers status). */
        public Builder takesWork(boolean value) {
            takesWork = value;
            return this;
        }

        /** How long an open marker may go without a request record before it counts as abandoned; positive. */
        public Builder abandonedSubmitAfter(Duration value) {
            abandonedSubmitAfter = ProcessingSettings.Builder.requirePositive("abandonedSubmitAfter", value);
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException if {@code renewInterval} is not below
         *                                  {@code leaseDuration - maxClockSkew}
         */
        public ScaleOutSettings build() {
            if (renewInterval.compareTo(leaseDuration.minus(maxClockSkew)) >= 0) {
                throw new IllegalArgumentException("renewInterval (" + renewInterval + ") must be below leaseDuration ("
                        + leaseDuration + ") minus maxClockSkew (" + maxClockSkew + ")");
            }
            return new ScaleOutSettings(this);
        }
    }
}
