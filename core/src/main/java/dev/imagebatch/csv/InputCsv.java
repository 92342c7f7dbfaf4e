package dev.imagebatch.csv;

import dev.imagebatch.InvalidCsvException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Entry points for input CSV files: {@link #validate} a whole file up front, then {@link #open}
 * it to stream its rows. See the {@linkplain dev.imagebatch.csv package documentation} for the
 * accepted format. All methods are thread-safe (they share no state).
 */
public final class InputCsv {

    /** Required column: the product's serial number; any text, passed through unchanged. */
    public static final String SERIAL_NO = "serial_no";
    /** Required column: the product's name; any text, passed through unchanged. */
    public static final String PRODUCT_NAME = "product_name";
    /** Required column: the product's image URLs, separated by commas, in one cell. */
    public static final String INPUT_IMAGE_URLS = "input_image_urls";

    private InputCsv() {
    }

    /**
     * Checks a whole input file and reports every problem found, not just the first.
     *
     * <p>Whole-file limits end the check at once: a file over {@link CsvLimits#maxBytes()} or
     * starting with a UTF-16 byte order mark gets just that problem. A malformed quoted field or
     * more than {@link CsvLimits#maxRows()} data rows stop the check at that line, since nothing
     * after it can be trusted or is wanted. At most {@value CsvValidator#MAX_PROBLEMS} problems are
     * listed, followed by a note that more were not.
     *
     * @param csv    the file's bytes; not {@code null}; not modified
     * @param limits the limits to apply; not {@code null}
     * @return what the file holds, if it is valid; never {@code null}
     * @throws InvalidCsvException  if anything is wrong; its problems are ordered by line, file-level
     *                              problems (line 0) first
     * @throws NullPointerException if an argument is {@code null}
     */
    public static CsvSummary validate(byte[] csv, CsvLimits limits) throws InvalidCsvException {
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(limits, "limits");
        return new CsvValidator(limits).validate(csv);
    }

    /**
     * Opens an input file for streaming its rows with the {@linkplain CsvLimits#defaults() default
     * limits}; same as {@code open(in, CsvLimits.defaults())}.
     *
     * @param in the file's bytes; not {@code null}
     * @return a reader positioned on the first data row; the caller must close it
     * @throws CsvReadException if the file is empty, its header is invalid or not UTF-8
     * @throws IOException      if reading {@code in} fails
     * @see #open(InputStream, CsvLimits)
     */
    public static CsvRowReader open(InputStream in) throws IOException {
        return open(in, CsvLimits.defaults());
    }

    /**
     * Opens an input file for streaming its rows, reading its header at once. Meant for files that
     * passed {@link #validate}; it applies the same rules but stops with a
     * {@link CsvReadException} at the first problem. Memory use does not grow with the number of
     * rows. {@link CsvLimits#maxBytes()} is not checked here.
     *
     * @param in     the file's bytes; not {@code null}; closed when the reader is closed, or here
     *               if opening fails
     * @param limits the limits to apply; not {@code null}
     * @return a reader positioned on the first data row; the caller must close it
     * @throws CsvReadException     if the file is empty, its header is invalid or not UTF-8
     * @throws IOException          if reading {@code in} fails
     * @throws NullPointerException if an argument is {@code null}
     */
    public static CsvRowReader open(InputStream in, CsvLimits limits) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(limits, "limits");
        return CsvRowReader.open(in, limits);
    }

    /**
     * Splits an {@code input_image_urls} cell into its URLs. Used by both validation and reading,
     * so they always agree.
     *
     * <p>The cell is split at every comma and each entry is trimmed of whitespace. An empty entry
     * is kept as {@code ""} so that callers can report it ({@code "a,,b"} gives
     * {@code ["a", "", "b"]}), except that one trailing comma is ignored: {@code "a, b, "} gives
     * {@code ["a", "b"]}, while {@code "a,,"} gives {@code ["a", ""]}. A blank cell gives an empty
     * list. A URL cannot contain a literal comma; encode it as {@code %2C}.
     *
     * @param cell the cell's text; not {@code null}
     * @return the trimmed entries in order; unmodifiable, never {@code null}
     * @throws NullPointerException if {@code cell} is {@code null}
     */
    public static List<String> splitUrls(String cell) {
        Objects.requireNonNull(cell, "cell");
        if (cell.isBlank()) {
            return List.of();
        }
        String[] parts = cell.split(",", -1);
        List<String> urls = new ArrayList<>(parts.length);
        for (String part : parts) {
            urls.add(part.strip());
        }
        // A list typed by hand often ends with a comma; that alone is not worth rejecting.
        if (urls.size() > 1 && urls.get(urls.size() - 1).isEmpty()) {
            urls.remove(urls.size() - 1);
        }
        return List.copyOf(urls);
    }
}
