package dev.imagebatch.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.memory.InMemoryImageFetcher;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile cell values through the whole service on file storage: {@code serial_no} values made of
 * path syntax never influence where anything is stored (keys come from the request id and the row
 * and image positions), and formula-looking cells come back unchanged by default or prefixed with
 * {@code '} when {@code neutralizeFormulas} is on.
 */
class HostileCsvValuesTest {


    /** serial_no and product_name values, each used for both columns. */
    private static final List<String> VALUES = List.of(
            "../../../../etc/passwd", "..", ".", "/", "/etc/passwd", "C:\\Windows\\win.ini", "..\\..\\x",
            "a/b/c", "%2e%2e%2fescape", "~/x", "$(touch pwned)", "x\u0000y", "images/../../x", "status",
            "csv", "\u202e.jpg", "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-3", "@SUM(A1)",
            "=cmd|' /C calc'!A0", "\tTAB", "\rCR");

    @TempDir
    Path temp;

    @ParameterizedTest(name = "neutralizeFormulas={0}")
    @ValueSource(booleans = {false, true})
    void pathSyntaxNeverReachesStorageAndFormulasFollowTheSetting(boolean neutralize) throws Exception {
        Path root = temp.resolve("storage");
        InMemoryImageFetcher.Builder images = InMemoryImageFetcher.builder();
        List<String> lines = new ArrayList<>();
        lines.add("serial_no,product_name,input_image_urls");
        for (int i = 0; i < VALUES.size(); i++) {
            // A URL per row: a URL repeated in a request is fetched and stored once.
            String image = "https://shop.example/" + i + ".jpg";
            images.serve(image, TestImages.jpeg(8, 8, Color.RED, Color.BLUE), "image/jpeg");
            lines.add(quoted(VALUES.get(i)) + "," + quoted(VALUES.get(i)) + "," + image);
        }
        InMemoryImageFetcher fetcher = images.build();
        RequestStatus done;
        List<CSVRecord> rows;
        try (FileStatusStore store = FileStatusStore.open(root);
             ImageProcessingService service = ImageProcessingService.builder()
                     .statusStore(store).resultPublisher(FileResultPublisher.create(root)).imageFetcher(fetcher)
                     .settings(ProcessingSettings.builder().neutralizeFormulas(neutralize).build()).build()) {
            String id = service.submit(Csv.lines(lines.toArray(String[]::new)));
            done = service.await(id).get(60, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
            assertThat(done.succeeded()).isEqualTo(VALUES.size());

            try (InputStream in = Files.newInputStream(Path.of(done.outputCsvUrl().orElseThrow()))) {
                rows = Csv.parse(in).records();
            }
            // Everything written is under the root, at a name made of the id and positions only.
            try (Stream<Path> files = Files.walk(temp)) {
                List<String> written = files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).toList();
                List<String> expected = new ArrayList<>(List.of("input/" + id + ".csv", "csv/" + id + ".csv",
                        "status/" + id + ".json", "status/" + id + ".results.jsonl"));
                for (int row = 1; row <= VALUES.size(); row++) {
                    expected.add("images/" + id + "/" + row + "/1.jpg");
                }
                expected.add("status/" + FileStatusStore.LOCK_FILE);
                assertThat(written).containsExactlyInAnyOrderElementsOf(expected);
            }
        }

        assertThat(rows).hasSize(VALUES.size());
        for (int i = 0; i < VALUES.size(); i++) {
            String value = VALUES.get(i);
            String expected = neutralize && startsLikeAFormula(value) ? "'" + value : value;
            assertThat(rows.get(i).get("serial_no")).as("serial_no %s", value).isEqualTo(expected);
            assertThat(rows.get(i).get("product_name")).as("product_name %s", value).isEqualTo(expected);
        }
    }

    private static boolean startsLikeAFormula(String value) {
        return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
