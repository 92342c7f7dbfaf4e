package dev.imagebatch.examples.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a benchmark's input CSV: {@code rows} rows of {@code perRow} URLs, either every URL distinct
 * (images taken round-robin, each under its own token) or the same first {@code perRow} URLs in
 * every row (as in the original service's sample).
 */
final class BenchCsv {

    private BenchCsv() {
    }

    /**
     * Writes the CSV; returns the number of distinct URLs in it. Image {@code i} of the CSV (counting
     * distinct URLs in order) is {@code names.get(i % names.size())}; the token keeps URLs of
     * different passes apart, so no pass benefits from another's work.
     */
    static int write(Path file, BenchImageServer server, List<String> names, String token, int rows, int perRow,
                     boolean repeat)
            throws IOException {
        int distinct = 0;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT)) {
            printer.printRecord("serial_no", "product_name", "input_image_urls");
            int next = 0;
            for (int row = 1; row <= rows; row++) {
                List<String> urls = new ArrayList<>(perRow);
                for (int i = 0; i < perRow; i++) {
                    if (repeat) {
                        urls.add(server.url(token, "same", names.get(i % names.size())).toString());
                    } else {
                        urls.add(server.url(token, "u" + next, names.get(next % names.size())).toString());
                        next++;
                    }
                }
                printer.printRecord(row, "Product " + row, String.join(",", urls));
            }
            distinct = repeat ? Math.min(perRow, names.size()) : next;
        }
        return distinct;
    }
}
