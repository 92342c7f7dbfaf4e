package dev.imagebatch.csv;

import static dev.imagebatch.csv.CsvTestFiles.HEADER;
import static dev.imagebatch.csv.CsvTestFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagebatch.CsvProblem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class CsvRowReaderTest {

    private static CsvRowReader open(String text) throws IOException {
        return InputCsv.open(new ByteArrayInputStream(utf8(text)));
    }

    private static List<InputRow> readAll(String text) throws IOException {
        try (CsvRowReader reader = open(text)) {
            List<InputRow> rows = new ArrayList<>();
            reader.forEachRemaining(rows::add);
            return rows;
        }
    }

    @Test
    void readsRowsWithNumbersLinesValuesAndUrls() throws Exception {
        String csv = "\uFEFF Input_Image_URLs,serial_no,product_name,extra\r\n"
                + "\"https://e.com/a.jpg, https://e.com/b.jpg,\",1,\"multi\r\nline, \"\"q\"\"\", x \r\n"
                + "\r\n"
                + "https://e.com/c.jpg,2,,\r\n";

        try (CsvRowReader reader = open(csv)) {
            assertThat(reader.header()).containsExactly("Input_Image_URLs", "serial_no", "product_name", "extra");
            InputRow first = reader.next();
            assertThat(first).isEqualTo(new InputRow(1, 2,
                    List.of("https://e.com/a.jpg, https://e.com/b.jpg,", "1", "multi\r\nline, \"q\"", " x "),
                    List.of(URI.create("https://e.com/a.jpg"), URI.create("https://e.com/b.jpg"))));
            InputRow second = reader.next();
            assertThat(second).isEqualTo(new InputRow(2, 5, List.of("https://e.com/c.jpg", "2", "", ""),
                    List.of(URI.create("https://e.com/c.jpg"))));
            assertThat(reader.hasNext()).isFalse();
            assertThatThrownBy(reader::next).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void readsEveryRowThatValidationCounted() throws Exception {
        String csv = HEADER + "1,a,https://e.com/1.png\n\n2,b,\"https://e.com/2.png,https://e.com/3.png\"\n";
        CsvSummary summary = CsvTestFiles.validate(csv);

        List<InputRow> rows = readAll(csv);

        assertThat(rows).hasSize(summary.rowCount());
        assertThat(rows.stream().mapToLong(r -> r.imageUrls().size()).sum()).isEqualTo(summary.urlCount());
    }

    @Test
    void throwsAtTheFirstInvalidRowInsteadOfReturningIt() throws Exception {
        try (CsvRowReader reader = open(HEADER + "1,a,https://e.com/1.png\n2,b,\"https://e.com/2.png,,x\"\n")) {
            assertThat(reader.next().rowNumber()).isEqualTo(1);
            CsvReadException e = catchThrowableOfType(CsvReadException.class, reader::hasNext);
            assertThat(e.problem()).isEqualTo(new CsvProblem(3, "input_image_urls", "URL 2 is empty"));
            assertThat(e).hasMessage("line 3, column input_image_urls: URL 2 is empty");
        }
    }

    @Test
    void throwsOnRowsWithTheWrongCellCountAndMalformedQuotes() throws Exception {
        try (CsvRowReader reader = open(HEADER + "1,a\n")) {
            assertThatThrownBy(reader::next).isInstanceOf(CsvReadException.class)
                    .hasMessage("line 2: row has 2 cells but the header has 3");
        }
        try (CsvRowReader reader = open(HEADER + "1,\"a,https://e.com/1.png\n")) {
            assertThatThrownBy(reader::next).isInstanceOf(CsvReadException.class)
                    .hasMessageStartingWith("line 2: malformed quoted field");
        }
    }

    @Test
    void throwsOnABadHeaderOrAnEmptyFileWhenOpening() {
        assertThatThrownBy(() -> open("serial_no,product_name\n1,a\n")).isInstanceOf(CsvReadException.class)
                .hasMessage("line 1, column input_image_urls: required column is missing");
        assertThatThrownBy(() -> open("\n")).isInstanceOf(CsvReadException.class)
                .hasMessage("file is empty: no header and no data rows");
    }

    @Test
    void throwsOnBytesThatAreNotUtf8WithTheirLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(utf8(HEADER + "1,a,https://e.com/1.png\n2,b"));
        bytes.write(0xE9);
        bytes.writeBytes(utf8("x,https://e.com/2.png\n"));
        byte[] csv = bytes.toByteArray();

        try (CsvRowReader reader = InputCsv.open(new ByteArrayInputStream(csv))) {
            assertThat(reader.next().rowNumber()).isEqualTo(1);
            assertThatThrownBy(reader::next).isInstanceOf(CsvReadException.class)
                    .hasMessage("line 3: not valid UTF-8 (byte 0xE9); save the file as UTF-8");
        }
    }

    @Test
    void refusesUtf16WhenOpening() {
        byte[] csv = (HEADER + "1,a,https://e.com/1.png\n").getBytes(java.nio.charset.StandardCharsets.UTF_16);

        assertThatThrownBy(() -> InputCsv.open(new ByteArrayInputStream(csv)))
                .isInstanceOf(CsvReadException.class)
                .hasMessage("line 1: UTF-16 is not supported; save the file as UTF-8");
    }

    @Test
    void appliesRowAndUrlLimits() throws Exception {
        String csv = HEADER + "1,a,\"https://e.com/1.png,https://e.com/2.png\"\n2,b,https://e.com/3.png\n";
        CsvLimits oneRow = CsvLimits.builder().maxRows(1).build();
        try (CsvRowReader reader = InputCsv.open(new ByteArrayInputStream(utf8(csv)), oneRow)) {
            reader.next();
            assertThatThrownBy(reader::next).isInstanceOf(CsvReadException.class)
                    .hasMessage("line 3: more than 1 data rows (the limit)");
        }
        CsvLimits oneUrl = CsvLimits.builder().maxUrlsPerRow(1).build();
        try (CsvRowReader reader = InputCsv.open(new ByteArrayInputStream(utf8(csv)), oneUrl)) {
            assertThatThrownBy(reader::next).isInstanceOf(CsvReadException.class)
                    .hasMessageContaining("2 URLs, more than the limit of 1 per row");
        }
    }

    @Test
    void reportsReadFailuresAsIoExceptionsAndClosesTheStream() throws Exception {
        FailingStream failing = new FailingStream(utf8(HEADER + "1,a,https://e.com/1.png\n"));
        CsvRowReader reader = InputCsv.open(failing);
        assertThatThrownBy(() -> reader.forEachRemaining(row -> { })).isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("disk gone");
        reader.close();
        assertThat(failing.closed).isTrue();

        FailingStream atOnce = new FailingStream(new byte[0]);
        assertThatThrownBy(() -> InputCsv.open(atOnce)).isInstanceOf(IOException.class).hasMessage("disk gone");
        assertThat(atOnce.closed).isTrue();
    }

    @Test
    void streamsRowsWithoutReadingTheWholeInput() throws Exception {
        GeneratedCsv input = new GeneratedCsv(100_000);

        try (CsvRowReader reader = InputCsv.open(input)) {
            assertThat(reader.next().rowNumber()).isEqualTo(1);
            // Only a few buffers may be read to produce the first row of a file of several MB.
            assertThat(input.bytesServed()).isLessThan(64 * 1024);
            int count = 1;
            int misplaced = 0;
            while (reader.hasNext()) {
                InputRow row = reader.next();
                count++;
                if (row.rowNumber() != count || row.line() != count + 1L) {
                    misplaced++;
                }
            }
            assertThat(count).isEqualTo(100_000);
            assertThat(misplaced).isZero();
        }
    }

    /** Serves some bytes, then fails. */
    private static final class FailingStream extends InputStream {
        private final InputStream data;
        private boolean closed;

        FailingStream(byte[] data) {
            this.data = new ByteArrayInputStream(data);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = data.read(b, off, Math.min(len, 40));
            if (n < 0) {
                throw new IOException("disk gone");
            }
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
