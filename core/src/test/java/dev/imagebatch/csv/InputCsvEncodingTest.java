package dev.imagebatch.csv;

import static dev.imagebatch.csv.CsvTestFiles.HEADER;
import static dev.imagebatch.csv.CsvTestFiles.problems;
import static dev.imagebatch.csv.CsvTestFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.CsvProblem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputCsvEncodingTest {

    @Test
    void acceptsUtf8TextInValues() throws Exception {
        CsvSummary summary = CsvTestFiles.validate(HEADER + "1,Café 😀 漢字,https://e.com/é.png\n");

        assertThat(summary.rowCount()).isEqualTo(1);
    }

    @Test
    void rejectsLatin1BytesWithTheirLineAndGoesOnChecking() {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes(utf8(HEADER + "1,ok,https://e.com/1.png\n2,\"multi\nline\",https://e.com/2.png\n3,Caf"));
        csv.write(0xE9);
        csv.writeBytes(utf8(",https://e.com/3.png\n4,d,bad\n5,"));
        csv.write(0xE9);
        csv.write(0xE9);
        csv.writeBytes(utf8(",https://e.com/5.png\n"));

        List<CsvProblem> found = problems(csv.toByteArray(), CsvLimits.defaults());

        assertThat(found).containsExactly(
                new CsvProblem(5, "", "not valid UTF-8 (byte 0xE9); save the file as UTF-8"),
                new CsvProblem(6, "input_image_urls", "URL 1 is not an absolute http(s) URL: bad"),
                new CsvProblem(7, "", "not valid UTF-8 (byte 0xE9); save the file as UTF-8"));
    }

    @Test
    void listsBadBytesInsideAMultiLineRecordAfterTheRecordsOwnProblems() {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes(utf8(HEADER + "1,a,https://e.com/1.png\n2,\"first\nsecond "));
        csv.write(0xE9);
        csv.writeBytes(utf8("\",bad\n"));

        assertThat(problems(csv.toByteArray(), CsvLimits.defaults())).containsExactly(
                new CsvProblem(3, "input_image_urls", "URL 1 is not an absolute http(s) URL: bad"),
                new CsvProblem(4, "", "not valid UTF-8 (byte 0xE9); save the file as UTF-8"));
    }

    @Test
    void reportsBadBytesFarIntoALargeFileOnTheRightLine() {
        StringBuilder text = new StringBuilder(HEADER);
        for (int i = 1; i <= 5000; i++) {
            text.append(i).append(",name ").append(i).append(",https://e.com/").append(i).append(".png\r\n");
        }
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes(utf8(text.toString()));
        csv.writeBytes(new byte[] {'x', ',', (byte) 0xC3, '(', ',', 'h'});

        List<CsvProblem> found = problems(csv.toByteArray(), CsvLimits.defaults());

        assertThat(found).extracting(CsvProblem::line).containsExactly(5002L, 5002L);
        assertThat(found.get(0).message()).isEqualTo("not valid UTF-8 (byte 0xC3); save the file as UTF-8");
    }

    @Test
    void rejectsATruncatedSequenceAtTheEnd() {
        byte[] good = utf8(HEADER + "1,a,https://e.com/1.png\n2,b,https://e.com/2.png\n");
        byte[] csv = new byte[good.length + 2];
        System.arraycopy(good, 0, csv, 0, good.length);
        csv[good.length] = (byte) 0xE2;
        csv[good.length + 1] = (byte) 0x82;

        assertThat(problems(csv, CsvLimits.defaults())).containsExactly(
                new CsvProblem(4, "", "not valid UTF-8 (bytes 0xE2 0x82); save the file as UTF-8"),
                new CsvProblem(4, "", "row has 1 cell but the header has 3"));
    }

    @Test
    void rejectsUtf16WithEitherByteOrderMark() {
        String text = HEADER + "1,a,https://e.com/1.png\n";
        CsvProblem expected = new CsvProblem(1, "", "UTF-16 is not supported; save the file as UTF-8");

        assertThat(problems(text.getBytes(StandardCharsets.UTF_16), CsvLimits.defaults()))
                .containsExactly(expected);
        ByteArrayOutputStream littleEndian = new ByteArrayOutputStream();
        littleEndian.write(0xFF);
        littleEndian.write(0xFE);
        littleEndian.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
        assertThat(problems(littleEndian.toByteArray(), CsvLimits.defaults())).containsExactly(expected);
    }
}
