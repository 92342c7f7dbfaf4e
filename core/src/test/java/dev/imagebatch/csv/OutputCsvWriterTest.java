package dev.imagebatch.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputCsvWriterTest {

    private static final List<String> HEADER = List.of("serial_no", "Product_Name", "input_image_urls", "notes");

    private static InputRow row(String... values) {
        List<String> urls = InputCsv.splitUrls(values[2]);
        return new InputRow(1, 2, List.of(values), urls.stream().map(URI::create).toList());
    }

    private static String write(boolean neutralize, InputRow row, List<String> outputUrls) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputCsvWriter writer = OutputCsvWriter.open(out, HEADER, neutralize)) {
            writer.writeRow(row, outputUrls);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesHeaderPlusOutputColumnAndRowsWithCrLf() throws Exception {
        String text = write(false, row("1", "SKU1", "https://e.com/a.jpg", "n"), List.of("https://cdn/a.jpg"));

        assertThat(text).isEqualTo("serial_no,Product_Name,input_image_urls,notes,output_image_urls\r\n"
                + "1,SKU1,https://e.com/a.jpg,n,https://cdn/a.jpg\r\n");
    }

    @Test
    void writesUtf8WithoutBom() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputCsvWriter writer = OutputCsvWriter.open(out, List.of("serial_no", "product_name",
                "input_image_urls"))) {
            writer.writeRow(new InputRow(1, 2, List.of("1", "Café", "https://e.com/a.jpg"),
                    List.of(URI.create("https://e.com/a.jpg"))), List.of(""));
        }
        byte[] bytes = out.toByteArray();

        assertThat(bytes[0]).isEqualTo((byte) 's');
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1,Café,https://e.com/a.jpg,\r\n");
    }

    @Test
    void joinsOutputUrlsKeepingThePositionsOfFailures() {
        assertThat(OutputCsvWriter.joinOutputUrls(List.of("u1", "", "u3"))).isEqualTo("u1, , u3");
        assertThat(OutputCsvWriter.joinOutputUrls(List.of("", "u2"))).isEqualTo(", u2");
        assertThat(OutputCsvWriter.joinOutputUrls(List.of("u1", ""))).isEqualTo("u1, ");
        assertThat(OutputCsvWriter.joinOutputUrls(List.of(""))).isEmpty();
        assertThat(OutputCsvWriter.joinOutputUrls(List.of("u1", "u2"))).isEqualTo("u1, u2");
        assertThatThrownBy(() -> OutputCsvWriter.joinOutputUrls(List.of("a,b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leavesFormulaLikeValuesAloneByDefault() throws Exception {
        String text = write(false, row("-5", "=HYPERLINK(\"x\")", "https://e.com/a.jpg", "@SUM(A1)"),
                List.of("https://cdn/a.jpg"));

        assertThat(text).endsWith("\r\n-5,\"=HYPERLINK(\"\"x\"\")\",https://e.com/a.jpg,@SUM(A1),https://cdn/a.jpg\r\n");
    }

    @Test
    void neutralizesFormulasWhenAsked() throws Exception {
        String text = write(true, row("-5", "=1+1", "https://e.com/a.jpg", "+x"), List.of("https://cdn/a.jpg"));

        assertThat(text).endsWith("\r\n'-5,'=1+1,https://e.com/a.jpg,'+x,https://cdn/a.jpg\r\n");
        assertThat(OutputCsvWriter.neutralize("@a")).isEqualTo("'@a");
        assertThat(OutputCsvWriter.neutralize("\tx")).isEqualTo("'\tx");
        assertThat(OutputCsvWriter.neutralize("\rx")).isEqualTo("'\rx");
        assertThat(OutputCsvWriter.neutralize("a=b")).isEqualTo("a=b");
        assertThat(OutputCsvWriter.neutralize("")).isEmpty();
    }

    @Test
    void rejectsMismatchedRowsAndHeaders() throws Exception {
        try (OutputCsvWriter writer = OutputCsvWriter.open(new StringWriter(), HEADER, false)) {
            InputRow twoUrls = row("1", "a", "https://e.com/a.jpg,https://e.com/b.jpg", "n");
            assertThatThrownBy(() -> writer.writeRow(twoUrls, List.of("x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 input URLs but 1 output");
            InputRow shortRow = new InputRow(1, 2, List.of("1", "a", "https://e.com/a.jpg"),
                    List.of(URI.create("https://e.com/a.jpg")));
            assertThatThrownBy(() -> writer.writeRow(shortRow, List.of("x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 3 cells");
        }
        assertThatThrownBy(() -> OutputCsvWriter.open(new StringWriter(), List.of("a", " OUTPUT_image_urls"), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutputCsvWriter.open(new StringWriter(), List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
