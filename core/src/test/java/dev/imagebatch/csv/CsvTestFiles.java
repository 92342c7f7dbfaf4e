package dev.imagebatch.csv;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagebatch.CsvProblem;
import dev.imagebatch.InvalidCsvException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Helpers for the CSV tests. */
final class CsvTestFiles {

    static final String HEADER = "serial_no,product_name,input_image_urls\n";

    private CsvTestFiles() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static CsvSummary validate(String text) throws InvalidCsvException {
        return InputCsv.validate(utf8(text), CsvLimits.defaults());
    }

    /** The problems reported for a file that must be invalid. */
    static List<CsvProblem> problems(byte[] csv, CsvLimits limits) {
        InvalidCsvException e = catchThrowableOfType(InvalidCsvException.class,
                () -> InputCsv.validate(csv, limits));
        if (e == null) {
            throw new AssertionError("expected the file to be rejected");
        }
        return e.problems();
    }

    static List<CsvProblem> problems(String text) {
        return problems(utf8(text), CsvLimits.defaults());
    }
}
