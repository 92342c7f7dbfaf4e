package dev.imagebatch.csv;

import dev.imagebatch.CsvProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The header of an input file: column names as given (trimmed, BOM removed) and where the
 * required columns are. An index is {@code -1} when that column is missing, which only happens
 * while collecting problems.
 */
record HeaderLayout(long line, List<String> names, int serialNoIndex, int productNameIndex, int imageUrlsIndex) {

    HeaderLayout {
        names = List.copyOf(names);
    }

    /**
     * Reads a header record, reporting every problem with it to {@code problems}: blank names,
     * duplicate names (compared like required names: trimmed, case-insensitive), missing required
     * columns (one problem each) and the reserved output column.
     */
    static HeaderLayout read(RecordSource.Located header, Consumer<CsvProblem> problems) {
        long line = header.line();
        List<String> names = new ArrayList<>(header.values().size());
        Map<String, Integer> firstIndexByKey = new HashMap<>();
        for (int i = 0; i < header.values().size(); i++) {
            // A byte order mark never gets here: Utf8Reader drops it.
            String name = header.values().get(i).strip();
            names.add(name);
            if (name.isEmpty()) {
                problems.accept(new CsvProblem(line, "", "column " + (i + 1) + " has no name in the header"));
                continue;
            }
            Integer earlier = firstIndexByKey.putIfAbsent(key(name), i);
            if (earlier != null) {
                problems.accept(new CsvProblem(line, name, "duplicate column name (column " + (i + 1)
                        + " has the same name as column " + (earlier + 1) + ")"));
            }
        }
        int serialNo = required(InputCsv.SERIAL_NO, firstIndexByKey, line, problems);
        int productName = required(InputCsv.PRODUCT_NAME, firstIndexByKey, line, problems);
        int imageUrls = required(InputCsv.INPUT_IMAGE_URLS, firstIndexByKey, line, problems);
        Integer reserved = firstIndexByKey.get(OutputCsvWriter.OUTPUT_IMAGE_URLS);
        if (reserved != null) {
            problems.accept(new CsvProblem(line, names.get(reserved),
                    "this column is written by processing and must not be in the input; remove it"));
        }
        return new HeaderLayout(line, names, serialNo, productName, imageUrls);
    }

    private static int required(String name, Map<String, Integer> firstIndexByKey, long line,
                                Consumer<CsvProblem> problems) {
        Integer index = firstIndexByKey.get(name);
        if (index == null) {
            problems.accept(new CsvProblem(line, name, "required column is missing"));
            return -1;
        }
        return index;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
