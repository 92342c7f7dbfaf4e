package dev.imagebatch.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class LargeFileTest {

    @Test
    void validatesTheLargestDefaultFile() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new GeneratedCsv(CsvLimits.DEFAULT_MAX_ROWS).transferTo(out);
        byte[] csv = out.toByteArray();

        long start = System.nanoTime();
        CsvSummary summary = InputCsv.validate(csv, CsvLimits.defaults());
        long millis = (System.nanoTime() - start) / 1_000_000;

        // Printed, never asserted: timings on shared machines are too noisy to fail a build on.
        System.out.printf("validated %d rows (%d bytes) in %d ms%n", summary.rowCount(), csv.length, millis);
        assertThat(summary.rowCount()).isEqualTo(CsvLimits.DEFAULT_MAX_ROWS);
        assertThat(summary.urlCount()).isEqualTo(2L * CsvLimits.DEFAULT_MAX_ROWS);
    }
}
