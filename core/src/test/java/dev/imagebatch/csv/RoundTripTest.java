package dev.imagebatch.csv;

import static dev.imagebatch.csv.CsvTestFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class RoundTripTest {

    private static final String INPUT = "\uFEFF Serial_No ,notes,product_name,INPUT_IMAGE_URLS,last\r\n"
            + "1,\"comma, and \"\"quotes\"\"\",SKU1,\"https://e.com/a.jpg, https://e.com/b.jpg,https://e.com/c.jpg\","
            + "\"  spaced  \"\r\n"
            + "\r\n"
            + "2,\"line one\nline two\",=SUM(A1),https://e.com/d.jpg,#hash\r\n"
            + "-3,,Café,\"https://e.com/e.jpg,\",\r\n";

    @Test
    void outputKeepsEveryInputCellAndAlignsOutputUrls() throws Exception {
        byte[] input = utf8(INPUT);
        CsvSummary summary = InputCsv.validate(input, CsvLimits.defaults());

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        List<InputRow> rows = new ArrayList<>();
        try (CsvRowReader reader = InputCsv.open(new ByteArrayInputStream(input));
             OutputCsvWriter writer = OutputCsvWriter.open(output, summary.header())) {
            while (reader.hasNext()) {
                InputRow row = reader.next();
                rows.add(row);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < row.imageUrls().size(); i++) {
                    // Every second image "fails".
                    out.add(i % 2 == 1 ? "" : "https://cdn.example/" + row.rowNumber() + "/" + i + ".jpg");
                }
                writer.writeRow(row, out);
            }
        }

        List<CSVRecord> records;
        try (CSVParser parser = CSVFormat.RFC4180.parse(
                new StringReader(output.toString(StandardCharsets.UTF_8)))) {
            records = parser.getRecords();
        }
        assertThat(records.get(0).toList()).containsExactly(
                "Serial_No", "notes", "product_name", "INPUT_IMAGE_URLS", "last", "output_image_urls");
        assertThat(records).hasSize(1 + summary.rowCount());
        for (int r = 0; r < rows.size(); r++) {
            List<String> cells = records.get(r + 1).toList();
            assertThat(cells.subList(0, 5)).isEqualTo(rows.get(r).values());
        }
        assertThat(records.get(1).get(1)).isEqualTo("comma, and \"quotes\"");
        assertThat(records.get(1).get(4)).isEqualTo("  spaced  ");
        assertThat(records.get(1).get(5)).isEqualTo("https://cdn.example/1/0.jpg, , https://cdn.example/1/2.jpg");
        assertThat(records.get(2).get(1)).isEqualTo("line one\nline two");
        assertThat(records.get(2).get(2)).isEqualTo("=SUM(A1)");
        assertThat(records.get(2).get(5)).isEqualTo("https://cdn.example/2/0.jpg");
        assertThat(records.get(3).toList()).containsExactly(
                "-3", "", "Café", "https://e.com/e.jpg,", "", "https://cdn.example/3/0.jpg");

        String[] entries = records.get(1).get(5).split(",", -1);
        assertThat(entries).hasSize(rows.get(0).imageUrls().size());
        assertThat(entries[1].strip()).isEmpty();
    }
}
