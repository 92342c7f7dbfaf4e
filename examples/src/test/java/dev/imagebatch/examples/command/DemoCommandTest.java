package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.examples.Cli;
import dev.imagebatch.examples.Csv;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void runsOfflineAndWritesEveryFormatsOutput() throws Exception {
        Path data = dir.resolve("demo-data");

        Cli.Run run = Cli.run("demo", "--data", data.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Sample image server: http://127.0.0.1:")
                .contains("COMPLETED_WITH_ERRORS: 7 of 8 images processed, 1 failed.")
                .contains("lagoon_640x480.webp", "(320x240)")
                .contains("aurora_1600x1200.jpg", "(800x600)")
                .contains("failed: HTTP_STATUS (HTTP 404), on purpose");
        assertThat(run.err()).contains("8/8");
        String csvLine = run.outLines().stream().filter(line -> line.startsWith("Output CSV:")).findFirst().orElseThrow();
        Path output = Path.of(csvLine.substring("Output CSV:".length()).strip());
        assertThat(output).startsWith(data.toAbsolutePath()).exists();

        List<CSVRecord> rows = Csv.read(output);
        assertThat(rows).extracting(row -> row.get("product_name")).containsExactly("Aurora desk lamp",
                "Ceramic tile set", "Enamel badge", "Striped beach towel", "Discontinued vase");
        assertThat(rows.get(4).get("output_image_urls")).isEmpty();
        String webp = rows.get(3).get("output_image_urls").split(", ")[1];
        BufferedImage lagoon = ImageIO.read(Path.of(java.net.URI.create(webp)).toFile());
        assertThat(lagoon.getWidth()).isEqualTo(320);
        assertThat(lagoon.getHeight()).isEqualTo(240);
        // The badge is transparent around the disc: flattened onto white, its corner is white.
        String badge = rows.get(2).get("output_image_urls");
        int corner = ImageIO.read(Path.of(java.net.URI.create(badge)).toFile()).getRGB(2, 2) & 0xFFFFFF;
        assertThat((corner >> 16) & 0xFF).isGreaterThan(240);
        assertThat(corner & 0xFF).isGreaterThan(240);
    }
}
