package dev.imagebatch.csv;

import java.util.List;
import java.util.Objects;

/**
 * What {@link InputCsv#validate} learned about a valid input file. Immutable and thread-safe.
 *
 * @param header           the column names in input order, as given but trimmed and without a
 *                         byte order mark; unmodifiable, never {@code null}
 * @param serialNoIndex    0-based position of {@code serial_no} in {@code header}
 * @param productNameIndex 0-based position of {@code product_name} in {@code header}
 * @param imageUrlsIndex   0-based position of {@code input_image_urls} in {@code header}
 * @param rowCount         number of data rows (blank rows not counted); at least 1
 * @param urlCount         number of image URLs over all rows; at least {@code rowCount}
 */
public record CsvSummary(List<String> header, int serialNoIndex, int productNameIndex, int imageUrlsIndex,
                         int rowCount, long urlCount) {

    /**
     * @throws NullPointerException     if {@code header} or one of its names is {@code null}
     * @throws IllegalArgumentException if an index is outside {@code header} or a count is negative
     */
    public CsvSummary {
        header = List.copyOf(Objects.requireNonNull(header, "header"));
        Objects.checkIndex(serialNoIndex, header.size());
        Objects.checkIndex(productNameIndex, header.size());
        Objects.checkIndex(imageUrlsIndex, header.size());
        if (rowCount < 0 || urlCount < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }
}
