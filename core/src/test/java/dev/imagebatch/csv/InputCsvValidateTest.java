package dev.imagebatch.csv;

import static dev.imagebatch.csv.CsvTestFiles.HEADER;
import static dev.imagebatch.csv.CsvTestFiles.problems;
import static dev.imagebatch.csv.CsvTestFiles.utf8;
import static dev.imagebatch.csv.CsvTestFiles.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.CsvProblem;
import dev.imagebatch.InvalidCsvException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputCsvValidateTest {

    @Test
    void acceptsTheOriginalSampleWithBom() throws Exception {
        CsvSummary summary = validate("\uFEFFserial_no,product_name,input_image_urls\n"
                + "1,SKU1,\"https://example.com/a.jpg,https://example.com/b.jpg\"\n"
                + "2,SKU2,\"https://example.com/c.jpg, https://example.com/d.jpg\"\n");

        assertThat(summary.header()).containsExactly("serial_no", "product_name", "input_image_urls");
        assertThat(summary.serialNoIndex()).isZero();
        assertThat(summary.productNameIndex()).isEqualTo(1);
        assertThat(summary.imageUrlsIndex()).isEqualTo(2);
        assertThat(summary.rowCount()).isEqualTo(2);
        assertThat(summary.urlCount()).isEqualTo(4);
    }

    @Test
    void headerIgnoresCaseSpacesAndOrderAndKeepsExtraColumns() throws Exception {
        CsvSummary summary = validate(" Input_Image_URLs ,notes,  PRODUCT_NAME,Serial_No\n"
                + "https://example.com/a.jpg,n,SKU1,1\n");

        assertThat(summary.header()).containsExactly("Input_Image_URLs", "notes", "PRODUCT_NAME", "Serial_No");
        assertThat(summary.imageUrlsIndex()).isZero();
        assertThat(summary.productNameIndex()).isEqualTo(2);
        assertThat(summary.serialNoIndex()).isEqualTo(3);
    }

    @Test
    void acceptsQuotedCommasQuotesAndLineBreaksAndKeepsLaterLineNumbers() {
        String csv = HEADER
                + "1,\"Shirt, \"\"blue\"\"\",https://example.com/a.jpg\n"
                + "2,\"two\nline\nname\",https://example.com/b.jpg\n"
                + "3,SKU3,ftp://example.com/c.jpg\n";

        assertThat(problems(csv)).containsExactly(new CsvProblem(6, "input_image_urls",
                "URL 1 is not an absolute http(s) URL: ftp://example.com/c.jpg"));
    }

    @Test
    void acceptsCrLfAndCountsLinesTheSame() throws Exception {
        String good = "serial_no,product_name,input_image_urls\r\n1,a,https://e.com/1.png\r\n"
                + "2,\"b\r\nc\",https://e.com/2.png\r\n";
        assertThat(validate(good).rowCount()).isEqualTo(2);

        assertThat(problems(good + "3,d,nope\r\n"))
                .extracting(CsvProblem::line).containsExactly(5L);
    }

    @Test
    void skipsBlankLinesAndBlankRowsWithoutShiftingLineNumbers() {
        String csv = "\n" + HEADER + "\n1,a,https://e.com/1.png\n ,, \n\n2,b,bad\n\n";

        assertThat(problems(csv)).containsExactly(new CsvProblem(7, "input_image_urls",
                "URL 1 is not an absolute http(s) URL: bad"));
    }

    @Test
    void acceptsAnyTextInSerialAndNameIncludingBlank() throws Exception {
        assertThat(validate(HEADER + ",,https://e.com/1.png\n=1+1,@x,https://e.com/2.png\n").rowCount())
                .isEqualTo(2);
    }

    @Test
    void acceptsOneTrailingCommaInTheUrlList() throws Exception {
        assertThat(validate(HEADER + "1,a,\"https://e.com/1.png, https://e.com/2.png, \"\n").urlCount())
                .isEqualTo(2);
    }

    @Test
    void acceptsUppercaseSchemesAndUserInfo() throws Exception {
        assertThat(validate(HEADER + "1,a,\"HTTPS://e.com/1.png,http://u:p@e.com:8080/x?y=1#z\"\n").urlCount())
                .isEqualTo(2);
    }

    @Test
    void rejectsAnEmptyFile() {
        assertThat(problems("")).containsExactly(
                new CsvProblem(0, "", "file is empty: no header and no data rows"));
        assertThat(problems("\n\n")).containsExactly(
                new CsvProblem(0, "", "file is empty: no header and no data rows"));
    }

    @Test
    void rejectsAHeaderWithoutRows() {
        assertThat(problems("\uFEFF" + HEADER + "\n")).containsExactly(
                new CsvProblem(0, "", "no data rows: the file has only a header"));
    }

    @Test
    void namesEveryMissingRequiredColumn() {
        assertThat(problems("Serial_No,notes\n1,x\n")).containsExactly(
                new CsvProblem(1, "product_name", "required column is missing"),
                new CsvProblem(1, "input_image_urls", "required column is missing"));
    }

    @Test
    void rejectsDuplicateAndBlankHeaderNames() {
        assertThat(problems("serial_no,product_name,input_image_urls, SERIAL_NO ,,notes,Notes\n"
                + "1,a,https://e.com/1.png,2,,x,y\n")).containsExactly(
                new CsvProblem(1, "SERIAL_NO", "duplicate column name (column 4 has the same name as column 1)"),
                new CsvProblem(1, "", "column 5 has no name in the header"),
                new CsvProblem(1, "Notes", "duplicate column name (column 7 has the same name as column 6)"));
    }

    @Test
    void rejectsAnInputThatAlreadyHasTheOutputColumn() {
        assertThat(problems("serial_no,product_name,input_image_urls,Output_Image_URLs\n"
                + "1,a,https://e.com/1.png,https://cdn/1.png\n")).containsExactly(new CsvProblem(1,
                "Output_Image_URLs", "this column is written by processing and must not be in the input; remove it"));
    }

    @Test
    void rejectsRowsWithTheWrongNumberOfCells() {
        assertThat(problems(HEADER + "1,a\n2,b,https://e.com/1.png,extra\n")).containsExactly(
                new CsvProblem(2, "", "row has 2 cells but the header has 3"),
                new CsvProblem(3, "", "row has 4 cells but the header has 3"));
    }

    @Test
    void rejectsBlankAndEmptyUrlEntries() {
        assertThat(problems(HEADER + "1,a,\n2,b,\"  \"\n3,c,\"https://e.com/1.png,,https://e.com/3.png\"\n"
                + "4,d,\",https://e.com/1.png\"\n5,e,\"https://e.com/1.png,,\"\n6,f,\",\"\n"))
                .containsExactly(
                        new CsvProblem(2, "input_image_urls", "no image URLs"),
                        new CsvProblem(3, "input_image_urls", "no image URLs"),
                        new CsvProblem(4, "input_image_urls", "URL 2 is empty"),
                        new CsvProblem(5, "input_image_urls", "URL 1 is empty"),
                        new CsvProblem(6, "input_image_urls", "URL 2 is empty"),
                        new CsvProblem(7, "input_image_urls", "URL 1 is empty"));
    }

    @Test
    void rejectsUrlsThatAreNotAbsoluteHttpWithAHost() {
        List<CsvProblem> found = problems(HEADER
                + "1,a,\"/relative.png,ftp://e.com/x,http:opaque,https:///nohost,https://e.com/a b.png\"\n");

        assertThat(found).extracting(CsvProblem::message).containsExactly(
                "URL 1 is not an absolute http(s) URL: /relative.png",
                "URL 2 is not an absolute http(s) URL: ftp://e.com/x",
                "URL 3 is not an absolute http(s) URL: http:opaque",
                "URL 4 is not an absolute http(s) URL: https:///nohost",
                "URL 5 is not an absolute http(s) URL: https://e.com/a b.png");
    }

    @Test
    void hidesCredentialsAndEscapesControlCharactersInMessages() {
        List<CsvProblem> found = problems(HEADER
                + "1,a,\"https://user:secret@e.com/a b.png,\"\"https://e.com/x\ny\"\"\"\n");

        assertThat(found).extracting(CsvProblem::message).containsExactly(
                "URL 1 is not an absolute http(s) URL: https://***@e.com/a b.png",
                "URL 2 is not an absolute http(s) URL: \"https://e.com/x\\u000Ay\"");
        assertThat(found.toString()).doesNotContain("secret");
    }

    @Test
    void reportsAnUnclosedQuoteWithTheLineWhereTheRecordStarts() {
        assertThat(problems(HEADER + "1,a,https://e.com/1.png\n2,\"b,https://e.com/2.png\n3,c,https://e.com/3.png\n"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(3);
                    assertThat(p.column()).isEmpty();
                    assertThat(p.message()).startsWith("malformed quoted field");
                });
    }

    @Test
    void reportsTextAfterAClosingQuoteAndKeepsEarlierProblems() {
        List<CsvProblem> found = problems(HEADER + "1,a,bad\n2,\"b\"x,https://e.com/2.png\n3,c,bad\n");

        assertThat(found).hasSize(2);
        assertThat(found.get(0)).isEqualTo(new CsvProblem(2, "input_image_urls",
                "URL 1 is not an absolute http(s) URL: bad"));
        assertThat(found.get(1).line()).isEqualTo(3);
        assertThat(found.get(1).message()).startsWith("malformed quoted field");
    }

    @Test
    void reportsEveryProblemOfAFileWithManyWithItsLineAndColumn() {
        String csv = "\uFEFFSerial_No, Product_Name ,input_image_urls,notes,notes\r\n"
                + "1,a,https://e.com/1.png,x,y\r\n"
                + "2,b,\"https://e.com/1.png,,ftp://e.com/3\",x,y\r\n"
                + "3,\"multi\r\nline\",https://e.com/1.png,x\r\n"
                + "\r\n"
                + "4,d,,x,y\r\n"
                + "5,e,https://e.com/ok.png,\"x\",y\r\n"
                + "6,f,mailto:a@b.c,x,y";

        assertThat(problems(csv)).containsExactly(
                new CsvProblem(1, "notes", "duplicate column name (column 5 has the same name as column 4)"),
                new CsvProblem(3, "input_image_urls", "URL 2 is empty"),
                new CsvProblem(3, "input_image_urls", "URL 3 is not an absolute http(s) URL: ftp://e.com/3"),
                new CsvProblem(4, "", "row has 4 cells but the header has 5"),
                new CsvProblem(7, "input_image_urls", "no image URLs"),
                new CsvProblem(9, "input_image_urls", "URL 1 is not an absolute http(s) URL: mailto:a@b.c"));
    }

    @Test
    void stopsListingAfterAThousandProblems() {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 1500; i++) {
            csv.append(i).append(",a,bad\n");
        }

        List<CsvProblem> found = problems(csv.toString());

        assertThat(found).hasSize(CsvValidator.MAX_PROBLEMS + 1);
        assertThat(found.get(CsvValidator.MAX_PROBLEMS - 1).line()).isEqualTo(CsvValidator.MAX_PROBLEMS + 1);
        assertThat(found.get(CsvValidator.MAX_PROBLEMS).message()).startsWith("more than 1000 problems");
    }

    @Test
    void rejectsNullArguments() {
        assertThatThrownBy(() -> InputCsv.validate(null, CsvLimits.defaults()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> InputCsv.validate(utf8(HEADER), null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theExceptionMessageListsTheProblems() {
        assertThatThrownBy(() -> validate(HEADER + "1,a,bad\n"))
                .isInstanceOf(InvalidCsvException.class)
                .hasMessageContaining("line 2, column input_image_urls: URL 1 is not an absolute http(s) URL: bad");
    }
}
