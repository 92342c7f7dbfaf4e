package dev.imagebatch.examples.demo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes the demo's input CSV: a few products, each with one or more image URLs. */
public final class DemoCsv {

    /** The name of an image the sample server does not have: one failure shows how they look. */
    public static final String MISSING_IMAGE = "discontinued.jpg";

    private DemoCsv() {
    }

    /** One product row. */
    record Product(String serialNo, String name, List<String> images) {
    }

    static List<Product> products() {
        return List.of(
                new Product("1", "Aurora desk lamp", List.of("aurora_1600x1200.jpg", "rings_1024x768.bmp")),
                new Product("2", "Ceramic tile set", List.of("tiles_1200x900.png", "mosaic_900x600.tiff")),
                new Product("3", "Enamel badge", List.of("badge_800x800.png")),
                new Product("4", "Striped beach towel", List.of("stripes_640x480.gif", "lagoon_640x480.webp")),
                new Product("5", "Discontinued vase", List.of(MISSING_IMAGE)));
    }

    /**
     * Writes the CSV with the columns of the original service's sample ({@code serial_no},
     * {@code product_name}, {@code input_image_urls}), URLs pointing at {@code server}.
     *
     * @return the number of image URLs written
     */
    public static int write(Path file, SampleImageServer server) throws IOException {
        int urls = 0;
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = CSVFormat.DEFAULT.builder()
                     .setHeader("serial_no", "product_name", "input_image_urls").get().print(writer)) {
            for (Product product : products()) {
                csv.printRecord(product.serialNo(), product.name(), product.images().stream()
                        .map(name -> server.url(name).toString())
                        .collect(Collectors.joining(", ")));
                urls += product.images().size();
            }
        }
        return urls;
    }
}
