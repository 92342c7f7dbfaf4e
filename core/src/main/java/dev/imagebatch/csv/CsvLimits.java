package dev.imagebatch.csv;

/**
 * Size limits applied when an input CSV file is validated and read. Immutable and thread-safe.
 *
 * <p>Defaults (see {@link #defaults()}): {@value #DEFAULT_MAX_BYTES} bytes (50 MiB),
 * {@value #DEFAULT_MAX_ROWS} data rows, {@value #DEFAULT_MAX_URLS_PER_ROW} URLs per row and
 * {@value #DEFAULT_MAX_URL_LENGTH} characters per URL.
 *
 * @param maxBytes      largest accepted file size in bytes; at least 1
 * @param maxRows       largest accepted number of data rows (the header and skipped blank rows
 *                      are not counted); at least 1
 * @param maxUrlsPerRow largest accepted number of URLs in one {@code input_image_urls} cell; at least 1
 * @param maxUrlLength  largest accepted length of one URL, in characters; at least 1
 */
public record CsvLimits(long maxBytes, int maxRows, int maxUrlsPerRow, int maxUrlLength) {

    /** Default {@link #maxBytes()}: 50 MiB. */
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
    /** Default {@link #maxRows()}. */
    public static final int DEFAULT_MAX_ROWS = 100_000;
    /** Default {@link #maxUrlsPerRow()}. */
    public static final int DEFAULT_MAX_URLS_PER_ROW = 50;
    /** Default {@link #maxUrlLength()}. */
    public static final int DEFAULT_MAX_URL_LENGTH = 2048;

    private static final CsvLimits DEFAULTS = new CsvLimits(
            DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, DEFAULT_MAX_URLS_PER_ROW, DEFAULT_MAX_URL_LENGTH);

    /**
     * Creates limits; prefer {@link #builder()}.
     *
     * @throws IllegalArgumentException if any limit is less than 1
     */
    public CsvLimits {
        requirePositive(maxBytes, "maxBytes");
        requirePositive(maxRows, "maxRows");
        requirePositive(maxUrlsPerRow, "maxUrlsPerRow");
        requirePositive(maxUrlLength, "maxUrlLength");
    }

    /**
     * The default limits.
     *
     * @return the defaults; never {@code null}
     */
    public static CsvLimits defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the {@linkplain #defaults() defaults}.
     *
     * @return a new builder; never {@code null}
     */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /**
     * A builder starting from these limits.
     *
     * @return a new builder; never {@code null}
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requirePositive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    /**
     * Builds {@link CsvLimits}. Each setter rejects a value below 1 at once with an
     * {@link IllegalArgumentException}. Not thread-safe.
     */
    public static final class Builder {
        private long maxBytes;
        private int maxRows;
        private int maxUrlsPerRow;
        private int maxUrlLength;

        private Builder(CsvLimits start) {
            maxBytes = start.maxBytes;
            maxRows = start.maxRows;
            maxUrlsPerRow = start.maxUrlsPerRow;
            maxUrlLength = start.maxUrlLength;
        }

        /**
         * @param value largest accepted file size in bytes; at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxBytes(long value) {
            requirePositive(value, "maxBytes");
            maxBytes = value;
            return this;
        }

        /**
         * @param value largest accepted number of data rows; at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxRows(int value) {
            requirePositive(value, "maxRows");
            maxRows = value;
            return this;
        }

        /**
         * @param value largest accepted number of URLs in one row; at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxUrlsPerRow(int value) {
            requirePositive(value, "maxUrlsPerRow");
            maxUrlsPerRow = value;
            return this;
        }

        /**
         * @param value largest accepted URL length in characters; at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value < 1}
         */
        public Builder maxUrlLength(int value) {
            requirePositive(value, "maxUrlLength");
            maxUrlLength = value;
            return this;
        }

        /**
         * Builds the limits set so far.
         *
         * @return the limits; never {@code null}
         */
        public CsvLimits build() {
            return new CsvLimits(maxBytes, maxRows, maxUrlsPerRow, maxUrlLength);
        }
    }
}
