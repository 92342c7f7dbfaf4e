package dev.imagebatch.csv;

import dev.imagebatch.CsvProblem;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The records of a CSV text, one at a time, each with the physical line it starts on. Skips
 * blank records and turns syntax and encoding errors into {@link CsvReadException}s with a line.
 * Shared by validation and reading so that both see exactly the same records. Not thread-safe.
 */
final class RecordSource implements Closeable {

    /** A record and the 1-based physical line where it starts. */
    record Located(long line, List<String> values) {
    }

    /** RFC 4180 quoting; blank lines come through as records so that line counting stays exact. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(false)
            .setTrim(false)
            .get();

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    /** Physical lines fully consumed by the records returned so far. */
    private long linesBefore;

    RecordSource(Reader reader) throws IOException {
        parser = FORMAT.parse(reader);
        records = parser.iterator();
    }

    /**
     * The next record with at least one non-blank cell, or {@code null} at the end.
     *
     * @throws CsvReadException      for a malformed quoted field or bytes that are not UTF-8;
     *                               reading cannot go on after it
     * @throws UncheckedIOException  if reading the underlying input fails
     */
    Located next() {
        while (true) {
            long line = linesBefore + 1;
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                record = records.next();
            } catch (UncheckedIOException e) {
                throw translate(e, line);
            }
            // The parser counts CR, LF and CR LF as one line each, as Utf8Reader does.
            linesBefore = parser.getCurrentLineNumber();
            List<String> values = record.toList();
            if (!isBlank(values)) {
                return new Located(line, values);
            }
        }
    }

    private static boolean isBlank(List<String> values) {
        return values.stream().allMatch(String::isBlank);
    }

    private static RuntimeException translate(UncheckedIOException wrapper, long recordLine) {
        Throwable cause = wrapper.getCause();
        if (cause instanceof BadEncodingException bad) {
            return new CsvReadException(new CsvProblem(bad.line(), "", bad.description()));
        }
        if (cause instanceof CSVException syntax) {
            return new CsvReadException(new CsvProblem(recordLine, "",
                    "malformed quoted field (a quote is not closed, or text follows a closing quote);"
                            + " the rest of the file was not checked. Parser said: " + syntax.getMessage()));
        }
        return wrapper;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
