package dev.imagebatch;

import dev.imagebatch.csv.CsvLimits;
import dev.imagebatch.image.ImageSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How the service processes requests: concurrency, image output, limits. Immutable; build with
 * {@link #builder()}, derive with {@link #toBuilder()}. Every setter validates its value at once
 * and throws {@link IllegalArgumentException} naming the setting.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>fetchConcurrency</td><td>16</td><td>downloads in flight at once (I/O-bound)</td></tr>
 *   <tr><td>workers</td><td>available processors</td><td>images decoded/encoded at once (CPU-bound)</td></tr>
 *   <tr><td>maxActiveRequests</td><td>16</td><td>requests processing at once; {@code submit} refuses more
 *       (images in flight, {@code fetchConcurrency + 2 × workers}, are bounded across all requests together)</td></tr>
 *   <tr><td>scale</td><td>0.5</td><td>output width and height as a fraction of the input's</td></tr>
 *   <tr><td>jpegQuality</td><td>0.5</td><td>JPEG quality 0..1 ("quality 50")</td></tr>
 *   <tr><td>maxPixels</td><td>50,000,000</td><td>images whose header declares more are refused before decoding</td></tr>
 *   <tr><td>pixelBudget</td><td>max heap / 16</td><td>decoded pixels held at once across all workers
 *       (4 bytes each: a quarter of the heap); an image larger than the budget runs alone</td></tr>
 *   <tr><td>retainedBytesPerThread</td><td>64 MiB</td><td>working arrays each worker keeps between images to
 *       reuse them (softly referenced: the collector takes them back when memory runs short); 0 keeps none</td></tr>
 *   <tr><td>maxCsvBytes</td><td>50 MiB</td><td>largest accepted input file</td></tr>
 *   <tr><td>maxRows</td><td>100,000</td><td>most data rows in one file</td></tr>
 *   <tr><td>maxUrlsPerRow</td><td>50</td><td>most URLs in one {@code input_image_urls} cell</td></tr>
 *   <tr><td>maxUrlLength</td><td>2048</td><td>longest accepted image URL, in characters</td></tr>
 *   <tr><td>neutralizeFormulas</td><td>false</td><td>prefix {@code '} to output cells starting with
 *       {@code = + - @} so spreadsheets do not run them; off by default so values round-trip unchanged</td></tr>
 *   <tr><td>progressBatchSize</td><td>32</td><td>image results written to the status store per batch</td></tr>
 *   <tr><td>progressInterval</td><td>1 s</td><td>longest time a finished image waits before its result is written</td></tr>
 *   <tr><td>shutdownTimeout</td><td>30 s</td><td>how long {@code close()} lets images in flight finish</td></tr>
 * </table>
 */
public final class ProcessingSettings {

    private static final ProcessingSettings DEFAULTS = new Builder().build();

    private final int fetchConcurrency;
    private final int workers;
    private final int maxActiveRequests;
    private final ImageSettings image;
    private final long pixelBudget;
    private final CsvLimits csvLimits;
    private final boolean neutralizeFormulas;
    private final int progressBatchSize;
    private final Duration progressInterval;
    private final Duration shutdownTimeout;

    private ProcessingSettings(Builder b) {
        fetchConcurrency = b.fetchConcurrency;
        workers = b.workers;
        maxActiveRequests = b.maxActiveRequests;
        image = b.image.build();
        pixelBudget = b.pixelBudget;
        csvLimits = b.csvLimits.build();
        neutralizeFormulas = b.neutralizeFormulas;
        progressBatchSize = b.progressBatchSize;
        progressInterval = b.progressInterval;
        shutdownTimeout = b.shutdownTimeout;
    }

    /** The defaults listed above. */
    public static ProcessingSettings defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this object's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public int fetchConcurrency() {
        return fetchConcurrency;
    }

    public int workers() {
        return workers;
    }

    public int maxActiveRequests() {
        return maxActiveRequests;
    }

    public double scale() {
        return image.scale();
    }

    public float jpegQuality() {
        return image.jpegQuality();
    }

    public long maxPixels() {
        return image.maxPixels();
    }

    public long retainedBytesPerThread() {
        return image.retainedBytesPerThread();
    }

    /** The image-step settings the codec is built with. */
    ImageSettings imageSettings() {
        return image;
    }

    public long pixelBudget() {
        return pixelBudget;
    }

    public long maxCsvBytes() {
        return csvLimits.maxBytes();
    }

    public int maxRows() {
        return csvLimits.maxRows();
    }

    public int maxUrlsPerRow() {
        return csvLimits.maxUrlsPerRow();
    }

    public int maxUrlLength() {
        return csvLimits.maxUrlLength();
    }

    /** The limits input CSVs are validated against. */
    CsvLimits csvLimits() {
        return csvLimits;
    }

    public boolean neutralizeFormulas() {
        return neutralizeFormulas;
    }

    public int progressBatchSize() {
        return progressBatchSize;
    }

    public Duration progressInterval() {
        return progressInterval;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    @Override
    public String toString() {
        return "ProcessingSettings[fetchConcurrency=" + fetchConcurrency + ", workers=" + workers + ", maxActiveRequests=" + maxActiveRequests + ", scale=" + scale()
                + ", jpegQuality=" + jpegQuality() + ", maxPixels=" + maxPixels() + ", retainedBytesPerThread=" + retainedBytesPerThread()
                + ", pixelBudget=" + pixelBudget
                + ", maxCsvBytes=" + maxCsvBytes() + ", maxRows=" + maxRows() + ", maxUrlsPerRow=" + maxUrlsPerRow()
                + ", maxUrlLength=" + maxUrlLength()
                + ", neutralizeFormulas=" + neutralizeFormulas + ", progressBatchSize=" + progressBatchSize
                + ", progressInterval=" + progressInterval + ", shutdownTimeout=" + shutdownTimeout + "]";
    }

    /** Builds {@link ProcessingSettings}. Not thread-safe. */
    public static final class Builder {
        private int fetchConcurrency = 16;
        private int workers = Runtime.getRuntime().availableProcessors();
        private int maxActiveRequests = 16;
        private ImageSettings.Builder image = ImageSettings.builder();
        private long pixelBudget = Math.max(16_000_000L, Runtime.getRuntime().maxMemory() / 16);
        private CsvLimits.Builder csvLimits = CsvLimits.builder();
        private boolean neutralizeFormulas;
        private int progressBatchSize = 32;
        private Duration progressInterval = Duration.ofSeconds(1);
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        private Builder(ProcessingSettings s) {
            fetchConcurrency = s.fetchConcurrency;
            workers = s.workers;
            maxActiveRequests = s.maxActiveRequests;
            image = s.image.toBuilder();
            pixelBudget = s.pixelBudget;
            csvLimits = s.csvLimits.toBuilder();
            neutralizeFormulas = s.neutralizeFormulas;
            progressBatchSize = s.progressBatchSize;
            progressInterval = s.progressInterval;
            shutdownTimeout = s.shutdownTimeout;
        }

        /** Downloads in flight at once, 1..1024. */
        public Builder fetchConcurrency(int value) {
            fetchConcurrency = requireRange("fetchConcurrency", value, 1, 1024);
            return this;
        }

        /** Images decoded and encoded at once, 1..256. */
        public Builder workers(int value) {
            workers = requireRange("workers", value, 1, 256);
            return this;
        }

        /**
         * Requests processing at once in this service, 1..10,000; {@code submit} refuses more with a
         * {@link java.util.concurrent.RejectedExecutionException} instead of accepting work it cannot hold.
         */
        public Builder maxActiveRequests(int value) {
            maxActiveRequests = requireRange("maxActiveRequests", value, 1, 10_000);
            return this;
        }

        /** Output size as a fraction of the input's, in (0, 1]; each side becomes max(1, round(side * scale)). */
        public Builder scale(double value) {
            image.scale(value);
            return this;
        }

        /** JPEG quality, in [0, 1] (0.5 is "quality 50"). */
        public Builder jpegQuality(float value) {
            image.jpegQuality(value);
            return this;
        }

        /** Largest accepted image, in pixels declared by its header; 1 to {@link Integer#MAX_VALUE}. */
        public Builder maxPixels(long value) {
            image.maxPixels(value);
            return this;
        }

        /**
         * Bytes of working arrays (coefficients, planes, pixels) each worker thread keeps between
         * images instead of allocating them per image; at least 0 (0 keeps none).
         */
        public Builder retainedBytesPerThread(long value) {
            image.retainedBytesPerThread(value);
            return this;
        }

        /** Decoded pixels held in memory at once across all workers; at least 1. */
        public Builder pixelBudget(long value) {
            pixelBudget = requirePositive("pixelBudget", value);
            return this;
        }

        /** Largest accepted CSV file in bytes; at least 1. */
        public Builder maxCsvBytes(long value) {
            csvLimits.maxBytes(value);
            return this;
        }

        /** Most data rows in one CSV file; at least 1. */
        public Builder maxRows(int value) {
            csvLimits.maxRows(value);
            return this;
        }

        /** Most URLs in one row; at least 1. */
        public Builder maxUrlsPerRow(int value) {
            csvLimits.maxUrlsPerRow(value);
            return this;
        }

        /** Longest accepted image URL, in characters; at least 1. */
        public Builder maxUrlLength(int value) {
            csvLimits.maxUrlLength(value);
            return this;
        }

        /** Whether output cells that a spreadsheet would run as formulas get a leading {@code '}. */
        public Builder neutralizeFormulas(boolean value) {
            neutralizeFormulas = value;
            return this;
        }

        /** Image results written to the status store per batch, 1..10,000. */
        public Builder progressBatchSize(int value) {
            progressBatchSize = requireRange("progressBatchSize", value, 1, 10_000);
            return this;
        }

        /** Longest delay before a finished image's result is written; positive. */
        public Builder progressInterval(Duration value) {
            progressInterval = requirePositive("progressInterval", value);
            return this;
        }

        /** How long {@code close()} waits for images in flight; zero or more. */
        public Builder shutdownTimeout(Duration value) {
            Objects.requireNonNull(value, "shutdownTimeout");
            if (value.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative, got " + value);
            }
            shutdownTimeout = value;
            return this;
        }

        /** The settings. */
        public ProcessingSettings build() {
            return new ProcessingSettings(this);
        }

        static int requireRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
            }
            return value;
        }

        static long requirePositive(String name, long value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }

        static Duration requirePositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
