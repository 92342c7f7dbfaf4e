package dev.imagebatch.examples;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** Writes input CSVs and reads output CSVs for tests. */
public final class Csv {

    private Csv() {
    }

    /** A valid input: one row per entry, each entry a list of URLs. */
    public static Path input(Path file, List<List<String>> rows) throws IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = CSVFormat.DEFAULT.builder()
                .setHeader("serial_no", "product_name", "input_image_urls").get().print(text)) {
            for (int i = 0; i < rows.size(); i++) {
                csv.printRecord(i + 1, "Product " + (i + 1), String.join(", ", rows.get(i)));
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** The records of an output CSV, with its header. */
    public static List<CSVRecord> read(Path file) throws IOException {
        return read(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The records of CSV text, with its header. */
    public static List<CSVRecord> read(String text) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(text))
                .getRecords();
    }
}
