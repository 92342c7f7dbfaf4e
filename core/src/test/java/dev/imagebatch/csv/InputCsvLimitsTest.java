package dev.imagebatch.csv;

import static dev.imagebatch.csv.CsvTestFiles.HEADER;
import static dev.imagebatch.csv.CsvTestFiles.problems;
import static dev.imagebatch.csv.CsvTestFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.CsvProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputCsvLimitsTest {

    @Test
    void defaultsAreDocumented() {
        CsvLimits limits = CsvLimits.defaults();

        assertThat(limits.maxBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(limits.maxRows()).isEqualTo(100_000);
        assertThat(limits.maxUrlsPerRow()).isEqualTo(50);
        assertThat(limits.maxUrlLength()).isEqualTo(2048);
        assertThat(CsvLimits.builder().build()).isEqualTo(limits);
    }

    @Test
    void builderSetsEachLimitAndRejectsValuesBelowOne() {
        CsvLimits limits = CsvLimits.builder().maxBytes(10).maxRows(2).maxUrlsPerRow(3).maxUrlLength(4).build();

        assertThat(limits).isEqualTo(new CsvLimits(10, 2, 3, 4));
        assertThat(limits.toBuilder().maxRows(7).build()).isEqualTo(new CsvLimits(10, 7, 3, 4));
        assertThatThrownBy(() -> CsvLimits.builder().maxBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> CsvLimits.builder().maxRows(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CsvLimits.builder().maxUrlsPerRow(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CsvLimits.builder().maxUrlLength(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CsvLimits(1, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAFileOverTheByteLimitWithoutLookingFurther() throws Exception {
        byte[] csv = utf8(HEADER + "1,a,https://e.com/1.png\n");
        CsvLimits limits = CsvLimits.builder().maxBytes(csv.length - 1).build();

        assertThat(problems(csv, limits)).containsExactly(new CsvProblem(0, "",
                "file is " + csv.length + " bytes, more than the limit of " + (csv.length - 1) + " bytes"));
        assertThat(InputCsv.validate(csv, limits.toBuilder().maxBytes(csv.length).build()).rowCount()).isEqualTo(1);
    }

    @Test
    void reportsTooManyRowsOnceAtTheFirstRowOverTheLimit() {
        String csv = HEADER + "1,a,bad\n2,b,https://e.com/2.png\n\n3,c,https://e.com/3.png\n4,d,bad\n";

        List<CsvProblem> found = problems(utf8(csv), CsvLimits.builder().maxRows(2).build());

        assertThat(found).containsExactly(
                new CsvProblem(2, "input_image_urls", "URL 1 is not an absolute http(s) URL: bad"),
                new CsvProblem(5, "", "more than 2 data rows (the limit); the rest of the file was not checked"));
    }

    @Test
    void rejectsTooManyUrlsInARow() {
        String csv = HEADER + "1,a,\"https://e.com/1.png,https://e.com/2.png,https://e.com/3.png\"\n"
                + "2,b,\"https://e.com/1.png,https://e.com/2.png\"\n";

        assertThat(problems(utf8(csv), CsvLimits.builder().maxUrlsPerRow(2).build())).containsExactly(
                new CsvProblem(2, "input_image_urls", "3 URLs, more than the limit of 2 per row"));
    }

    @Test
    void rejectsUrlsLongerThanTheLimit() {
        String exact = "https://e.com/" + "x".repeat(6);
        String tooLong = exact + "y";
        String csv = HEADER + "1,a,\"" + exact + "," + tooLong + "\"\n";

        assertThat(problems(utf8(csv), CsvLimits.builder().maxUrlLength(exact.length()).build())).containsExactly(
                new CsvProblem(2, "input_image_urls", "URL 2 is 21 characters long, more than the limit of 20: "
                        + tooLong));
    }

    @Test
    void cutsVeryLongUrlsInMessages() {
        String huge = "https://e.com/" + "z".repeat(5000);

        CsvProblem problem = problems(HEADER + "1,a," + huge + "\n").get(0);

        assertThat(problem.message()).startsWith("URL 1 is 5014 characters long, more than the limit of 2048: ")
                .endsWith("...").hasSizeLessThan(300);
    }
}
