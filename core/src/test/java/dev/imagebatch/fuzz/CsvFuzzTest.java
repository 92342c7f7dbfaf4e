package dev.imagebatch.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.imagebatch.InvalidCsvException;
import dev.imagebatch.csv.CsvLimits;
import dev.imagebatch.csv.CsvReadException;
import dev.imagebatch.csv.CsvRowReader;
import dev.imagebatch.csv.CsvSummary;
import dev.imagebatch.csv.InputCsv;
import dev.imagebatch.csv.InputRow;
import dev.imagebatch.csv.OutputCsvWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of CSV validation, reading and writing. Without {@code JAZZER_FUZZ} the
 * test replays the committed inputs under {@code src/test/resources/dev/imagebatch/fuzz/CsvFuzzTestInputs};
 * with {@code JAZZER_FUZZ=1} it searches for new ones within {@code maxDuration}.
 *
 * <p>Properties: validation either accepts or throws {@link InvalidCsvException} with at least one
 * problem; a file it accepts is read back by the streaming reader with exactly the counts it
 * reported and no exception; writing the output for it never fails.
 */
class CsvFuzzTest {

    private static final CsvLimits LIMITS = CsvLimits.builder().maxBytes(64 * 1024).maxRows(500)
            .maxUrlsPerRow(20).maxUrlLength(300).build();

    // Per input: a hang limit in both modes (in fuzzing mode Jazzer turns it into -timeout).
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "60s")
    void validationAndReadingAgree(byte[] input) throws Exception {
        CsvSummary summary;
        try {
            summary = InputCsv.validate(input, LIMITS);
        } catch (InvalidCsvException e) {
            assertThat(e.problems()).isNotEmpty();
            return;
        }
        int rows = 0;
        long urls = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CsvRowReader reader = InputCsv.open(new ByteArrayInputStream(input), LIMITS);
             OutputCsvWriter writer = OutputCsvWriter.open(out, reader.header(), true)) {
            assertThat(reader.header()).isEqualTo(summary.header());
            while (reader.hasNext()) {
                InputRow row = reader.next();
                rows++;
                urls += row.imageUrls().size();
                List<String> outputs = new ArrayList<>(Collections.nCopies(row.imageUrls().size(), ""));
                if (!outputs.isEmpty()) {
                    outputs.set(0, "file:///out/" + rows + ".jpg");
                }
                writer.writeRow(row, outputs);
            }
        } catch (CsvReadException e) {
            throw new AssertionError("validated file failed to read: " + e.problem(), e);
        }
        assertThat(rows).isEqualTo(summary.rowCount());
        assertThat(urls).isEqualTo(summary.urlCount());
    }
}
