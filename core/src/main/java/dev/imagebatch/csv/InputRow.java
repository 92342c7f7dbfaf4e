package dev.imagebatch.csv;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One data row of an input file, as returned by {@link CsvRowReader}. Immutable and thread-safe.
 *
 * @param rowNumber 1-based number of the data row (the header and blank rows are not counted)
 * @param line      1-based physical line where the row starts in the file (rows can span lines)
 * @param values    every cell in header order, exactly as in the file (not trimmed); unmodifiable
 * @param imageUrls the {@code input_image_urls} cell split by {@link InputCsv#splitUrls}, in order;
 *                  unmodifiable, never empty
 */
public record InputRow(int rowNumber, long line, List<String> values, List<URI> imageUrls) {

    /**
     * @throws NullPointerException     if a list or one of its elements is {@code null}
     * @throws IllegalArgumentException if {@code rowNumber} or {@code line} is below 1, or
     *                                  {@code imageUrls} is empty
     */
    public InputRow {
        if (rowNumber < 1 || line < 1) {
            throw new IllegalArgumentException("rowNumber and line must be at least 1");
        }
        values = List.copyOf(Objects.requireNonNull(values, "values"));
        imageUrls = List.copyOf(Objects.requireNonNull(imageUrls, "imageUrls"));
        if (imageUrls.isEmpty()) {
            throw new IllegalArgumentException("a row needs at least one image URL");
        }
    }
}
