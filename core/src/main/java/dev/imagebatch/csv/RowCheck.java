package dev.imagebatch.csv;

import dev.imagebatch.CsvProblem;
import java.util.List;
import java.util.function.Consumer;

/** The per-row rules, shared by validation (which collects) and reading (which throws). */
final class RowCheck {

    private RowCheck() {
    }

    /**
     * Reports every problem of one data row to {@code problems}.
     *
     * @return the number of entries in the row's URL list (0 when the list could not be checked)
     */
    static int check(RecordSource.Located row, HeaderLayout header, CsvLimits limits,
                     Consumer<CsvProblem> problems) {
        List<String> values = row.values();
        long line = row.line();
        if (values.size() != header.names().size()) {
            // Cells may be shifted, so checking them by position would only add noise.
            problems.accept(new CsvProblem(line, "", "row has " + values.size() + " cell"
                    + (values.size() == 1 ? "" : "s") + " but the header has " + header.names().size()));
            return 0;
        }
        if (header.imageUrlsIndex() < 0) {
            return 0;
        }
        String column = header.names().get(header.imageUrlsIndex());
        List<String> urls = InputCsv.splitUrls(values.get(header.imageUrlsIndex()));
        if (urls.isEmpty()) {
            problems.accept(new CsvProblem(line, column, "no image URLs"));
            return 0;
        }
        if (urls.size() > limits.maxUrlsPerRow()) {
            problems.accept(new CsvProblem(line, column, urls.size() + " URLs, more than the limit of "
                    + limits.maxUrlsPerRow() + " per row"));
        }
        for (int i = 0; i < urls.size(); i++) {
            String problem = UrlCheck.problem(i + 1, urls.get(i), limits.maxUrlLength());
            if (problem != null) {
                problems.accept(new CsvProblem(line, column, problem));
            }
        }
        return urls.size();
    }
}
