package dev.imagebatch.csv;

import dev.imagebatch.CsvProblem;
import dev.imagebatch.InvalidCsvException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One run of {@link InputCsv#validate}: walks the whole file and collects its problems. */
final class CsvValidator {

    /** Bounds memory and message size for hopeless files (say, 100,000 rows in the wrong encoding). */
    static final int MAX_PROBLEMS = 1000;

    private final CsvLimits limits;
    private final List<CsvProblem> problems = new ArrayList<>();
    private long lastBadEncodingLine;
    private boolean truncated;

    CsvValidator(CsvLimits limits) {
        this.limits = limits;
    }

    CsvSummary validate(byte[] csv) throws InvalidCsvException {
        if (csv.length > limits.maxBytes()) {
            // Nothing else is looked at: the limit exists to avoid parsing files this large.
            throw new InvalidCsvException(List.of(new CsvProblem(0, "", "file is " + csv.length
                    + " bytes, more than the limit of " + limits.maxBytes() + " bytes")));
        }
        if (Utf8Reader.startsWithUtf16Bom(csv)) {
            throw new InvalidCsvException(List.of(new CsvProblem(1, "", Utf8Reader.UTF16_MESSAGE)));
        }
        HeaderLayout header = null;
        int rows = 0;
        long urls = 0;
        boolean stopped = false;
        Utf8Reader reader = Utf8Reader.lenient(new ByteArrayInputStream(csv), this::badEncoding);
        try (RecordSource source = new RecordSource(reader)) {
            RecordSource.Located first = source.next();
            if (first == null) {
                add(new CsvProblem(0, "", "file is empty: no header and no data rows"));
            } else {
                header = HeaderLayout.read(first, this::add);
                for (RecordSource.Located row = source.next(); row != null && !truncated; row = source.next()) {
                    rows++;
                    if (rows > limits.maxRows()) {
                        add(new CsvProblem(row.line(), "", "more than " + limits.maxRows()
                                + " data rows (the limit); the rest of the file was not checked"));
                        stopped = true;
                        break;
                    }
                    urls += RowCheck.check(row, header, limits, this::add);
                }
            }
        } catch (CsvReadException e) {
            add(e.problem());
            stopped = true;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory failed", e);
        }
        if (header != null && rows == 0 && !stopped) {
            add(new CsvProblem(0, "", "no data rows: the file has only a header"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidCsvException(ordered());
        }
        return new CsvSummary(header.names(), header.serialNoIndex(), header.productNameIndex(),
                header.imageUrlsIndex(), rows, urls);
    }

    private void badEncoding(long line, byte[] bytes) {
        // One problem per line is enough to find it; more would only repeat the same advice.
        if (line != lastBadEncodingLine) {
            lastBadEncodingLine = line;
            add(new CsvProblem(line, "", Utf8Reader.describeInvalid(bytes)));
        }
    }

    private void add(CsvProblem problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        } else {
            truncated = true;
        }
    }

    /**
     * Problems by line; the sort is stable, so problems of one line keep their column order.
     * Needed because bad bytes in a later line of a multi-line record are found while the record
     * is parsed, before the record's own problems, which carry its first line.
     */
    private List<CsvProblem> ordered() {
        List<CsvProblem> ordered = new ArrayList<>(problems);
        ordered.sort(Comparator.comparingLong(CsvProblem::line));
        if (truncated) {
            ordered.add(new CsvProblem(0, "", "more than " + MAX_PROBLEMS
                    + " problems; checking stopped and only the first " + MAX_PROBLEMS + " are listed"));
        }
        return ordered;
    }
}
