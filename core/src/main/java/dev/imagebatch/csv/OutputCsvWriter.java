package dev.imagebatch.csv;

import java.io.BufferedWriter;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * Writes the output CSV file: every input column in input order, then {@value #OUTPUT_IMAGE_URLS}.
 * The header row is written when the writer is opened.
 *
 * <p>Format: RFC 4180 with CR LF line endings (as RFC 4180 says and as common spreadsheet tools
 * expect), fields quoted only when needed, UTF-8 without a byte order mark when writing to an
 * {@link OutputStream}. Input values are written unchanged, so reading the output back gives the
 * same cells, including spaces, quotes and line breaks inside them.
 *
 * <p>Formula neutralization is off by default because it changes values (a serial number
 * {@code -5} would become {@code '-5}), breaking the promise that values round-trip. Turn it on
 * when the output is meant to be opened in a spreadsheet: then every cell, header included, that
 * starts with {@code =}, {@code +}, {@code -}, {@code @}, tab or CR gets a leading {@code '} so
 * that it is shown as text instead of being run as a formula.
 *
 * <p>Not thread-safe. Closing the writer closes the underlying stream or writer.
 */
public final class OutputCsvWriter implements AutoCloseable, Flushable {

    /** The column added to the output. */
    public static final String OUTPUT_IMAGE_URLS = "output_image_urls";

    /** Separator between the entries of an {@value #OUTPUT_IMAGE_URLS} cell, as the original service used. */
    public static final String OUTPUT_URL_SEPARATOR = ", ";

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setRecordSeparator("\r\n")
            .setQuoteMode(QuoteMode.MINIMAL)
            .get();

    private final CSVPrinter printer;
    private final int inputColumns;
    private final boolean neutralizeFormulas;

    private OutputCsvWriter(Writer out, int inputColumns, boolean neutralizeFormulas) throws IOException {
        this.printer = new CSVPrinter(out, FORMAT);
        this.inputColumns = inputColumns;
        this.neutralizeFormulas = neutralizeFormulas;
    }

    /**
     * Same as {@code open(out, inputHeader, false)}: formula neutralization off.
     *
     * @param out         where to write; not {@code null}
     * @param inputHeader the input's column names in input order
     * @return the writer; the caller must close it
     * @throws IOException if writing the header fails
     * @see #open(OutputStream, List, boolean)
     */
    public static OutputCsvWriter open(OutputStream out, List<String> inputHeader) throws IOException {
        return open(out, inputHeader, false);
    }

    /**
     * Opens a writer that encodes UTF-8 (no BOM) onto {@code out} and writes the header row.
     *
     * @param out                where to write; not {@code null}
     * @param inputHeader        the input's column names in input order, as from
     *                           {@link CsvSummary#header()} or {@link CsvRowReader#header()}
     * @param neutralizeFormulas whether to prefix {@code '} to cells that a spreadsheet would run
     *                           as a formula (see the class documentation)
     * @return the writer; the caller must close it
     * @throws IllegalArgumentException if {@code inputHeader} is empty or already has an
     *                                  {@value #OUTPUT_IMAGE_URLS} column (any case)
     * @throws NullPointerException     if an argument or a name is {@code null}
     * @throws IOException              if writing the header fails
     */
    public static OutputCsvWriter open(OutputStream out, List<String> inputHeader, boolean neutralizeFormulas)
            throws IOException {
        Objects.requireNonNull(out, "out");
        return open(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)), inputHeader,
                neutralizeFormulas);
    }

    /**
     * Opens a writer onto a character stream and writes the header row. The caller chooses the
     * encoding; otherwise the same as {@link #open(OutputStream, List, boolean)}.
     *
     * @param out                where to write; not {@code null}
     * @param inputHeader        the input's column names in input order
     * @param neutralizeFormulas whether to prefix {@code '} to formula-like cells
     * @return the writer; the caller must close it
     * @throws IllegalArgumentException if {@code inputHeader} is empty or already has an
     *                                  {@value #OUTPUT_IMAGE_URLS} column (any case)
     * @throws NullPointerException     if an argument or a name is {@code null}
     * @throws IOException              if writing the header fails
     */
    public static OutputCsvWriter open(Writer out, List<String> inputHeader, boolean neutralizeFormulas)
            throws IOException {
        Objects.requireNonNull(out, "out");
        List<String> names = List.copyOf(Objects.requireNonNull(inputHeader, "inputHeader"));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the input header has no columns");
        }
        for (String name : names) {
            if (name.strip().toLowerCase(Locale.ROOT).equals(OUTPUT_IMAGE_URLS)) {
                throw new IllegalArgumentException("the input already has a column named " + name);
            }
        }
        OutputCsvWriter writer = new OutputCsvWriter(out, names.size(), neutralizeFormulas);
        List<String> header = new ArrayList<>(names);
        header.add(OUTPUT_IMAGE_URLS);
        writer.print(header);
        return writer;
    }

    /**
     * Writes one row: the input row's cells unchanged, then the output URLs joined by
     * {@link #joinOutputUrls}.
     *
     * @param row        the input row; not {@code null}; must have as many cells as the header
     * @param outputUrls one entry per URL of {@code row}, in the same order; {@code ""} for an image
     *                   that failed; not {@code null}
     * @throws IllegalArgumentException if the sizes do not match, or an entry contains a comma
     * @throws NullPointerException     if an argument or an entry is {@code null}
     * @throws IOException              if writing fails
     */
    public void writeRow(InputRow row, List<String> outputUrls) throws IOException {
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(outputUrls, "outputUrls");
        if (row.values().size() != inputColumns) {
            throw new IllegalArgumentException("row " + row.rowNumber() + " has " + row.values().size()
                    + " cells, the header has " + inputColumns);
        }
        if (outputUrls.size() != row.imageUrls().size()) {
            throw new IllegalArgumentException("row " + row.rowNumber() + " has " + row.imageUrls().size()
                    + " input URLs but " + outputUrls.size() + " output URLs");
        }
        List<String> cells = new ArrayList<>(row.values());
        cells.add(joinOutputUrls(outputUrls));
        print(cells);
    }

    /**
     * The {@value #OUTPUT_IMAGE_URLS} cell: entries joined with {@code ", "}, keeping positions, so
     * {@code ["u1", "", "u3"]} gives {@code "u1, , u3"}, {@code ["u1", ""]} gives {@code "u1, "} and
     * {@code [""]} gives {@code ""}. Splitting the cell at every comma, keeping a trailing empty
     * entry ({@code cell.split(",", -1)}), and trimming gives the entries back; note that
     * {@link InputCsv#splitUrls} is for input cells and drops a trailing empty entry.
     *
     * @param outputUrls the entries; not {@code null}
     * @return the cell text; never {@code null}
     * @throws IllegalArgumentException if an entry contains a comma (it would shift positions)
     * @throws NullPointerException     if the list or an entry is {@code null}
     */
    public static String joinOutputUrls(List<String> outputUrls) {
        for (String url : outputUrls) {
            if (url.indexOf(',') >= 0) {
                throw new IllegalArgumentException("an output URL contains a comma: " + url);
            }
        }
        return String.join(OUTPUT_URL_SEPARATOR, outputUrls);
    }

    private void print(List<String> cells) throws IOException {
        if (neutralizeFormulas) {
            cells.replaceAll(OutputCsvWriter::neutralize);
        }
        printer.printRecord(cells);
    }

    /** The cell with a leading {@code '} if a spreadsheet would treat it as a formula. */
    static String neutralize(String cell) {
        if (cell.isEmpty()) {
            return cell;
        }
        char first = cell.charAt(0);
        boolean risky = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r';
        return risky ? "'" + cell : cell;
    }

    /**
     * Flushes buffered output to the underlying stream.
     *
     * @throws IOException if flushing fails
     */
    @Override
    public void flush() throws IOException {
        printer.flush();
    }

    /**
     * Flushes and closes the underlying stream or writer.
     *
     * @throws IOException if flushing or closing fails
     */
    @Override
    public void close() throws IOException {
        printer.close(true);
    }
}
