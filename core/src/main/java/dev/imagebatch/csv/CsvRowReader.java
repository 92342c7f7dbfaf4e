package dev.imagebatch.csv;

import dev.imagebatch.CsvProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams the data rows of an input file, one {@link InputRow} at a time, without keeping earlier
 * rows. Obtained from {@link InputCsv#open}. Not thread-safe; close it when done.
 *
 * <p>{@link #hasNext()} and {@link #next()} throw {@link CsvReadException} at the first row that
 * breaks the rules of {@link InputCsv#validate} (after which the reader is unusable) and
 * {@link UncheckedIOException} if reading the stream fails.
 */
public final class CsvRowReader implements Iterator<InputRow>, AutoCloseable {

    private final RecordSource source;
    private final HeaderLayout header;
    private final CsvLimits limits;
    private InputRow next;
    private int rowNumber;
    private boolean done;

    private CsvRowReader(RecordSource source, HeaderLayout header, CsvLimits limits) {
        this.source = source;
        this.header = header;
        this.limits = limits;
    }

    static CsvRowReader open(InputStream in, CsvLimits limits) throws IOException {
        Utf8Reader reader = Utf8Reader.strict(in);
        RecordSource source;
        try {
            source = new RecordSource(reader);
        } catch (IOException e) {
            reader.close();
            throw e;
        }
        try {
            RecordSource.Located first = source.next();
            if (first == null) {
                throw new CsvReadException(new CsvProblem(0, "", "file is empty: no header and no data rows"));
            }
            HeaderLayout header = HeaderLayout.read(first, CsvRowReader::fail);
            return new CsvRowReader(source, header, limits);
        } catch (UncheckedIOException e) {
            source.close();
            throw e.getCause();
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * The header, for {@link OutputCsvWriter#open(java.io.OutputStream, List)}.
     *
     * @return the column names in input order, trimmed and without a BOM; unmodifiable, never {@code null}
     */
    public List<String> header() {
        return header.names();
    }

    /**
     * Whether another data row follows; reads ahead to find out.
     *
     * @return {@code true} if {@link #next()} will return a row
     * @throws CsvReadException     if the next row is invalid
     * @throws UncheckedIOException if reading fails
     */
    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = readRow();
            done = next == null;
        }
        return next != null;
    }

    /**
     * The next data row.
     *
     * @return the row; never {@code null}
     * @throws NoSuchElementException if there is none
     * @throws CsvReadException       if the next row is invalid
     * @throws UncheckedIOException   if reading fails
     */
    @Override
    public InputRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        InputRow row = next;
        next = null;
        return row;
    }

    private InputRow readRow() {
        RecordSource.Located record = source.next();
        if (record == null) {
            return null;
        }
        rowNumber++;
        if (rowNumber > limits.maxRows()) {
            fail(new CsvProblem(record.line(), "", "more than " + limits.maxRows() + " data rows (the limit)"));
        }
        RowCheck.check(record, header, limits, CsvRowReader::fail);
        List<String> texts = InputCsv.splitUrls(record.values().get(header.imageUrlsIndex()));
        List<URI> urls = new ArrayList<>(texts.size());
        for (String text : texts) {
            urls.add(UrlCheck.parse(text));
        }
        return new InputRow(rowNumber, record.line(), record.values(), urls);
    }

    private static void fail(CsvProblem problem) {
        throw new CsvReadException(problem);
    }

    /**
     * Closes the underlying stream. Idempotent.
     *
     * @throws IOException if closing the stream fails
     */
    @Override
    public void close() throws IOException {
        done = true;
        next = null;
        source.close();
    }
}
