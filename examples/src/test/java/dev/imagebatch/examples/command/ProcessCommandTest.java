package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.imagebatch.examples.Cli;
import dev.imagebatch.examples.Csv;
import dev.imagebatch.examples.ImageHost;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCommandTest {

    private static ImageHost host;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHost() throws Exception {
        host = new ImageHost(64, 48);
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    @Test
    void processesEveryImagePrintsIdFirstAndCsvPathLastAndExitsZero() throws Exception {
        Path csv = Csv.input(dir.resolve("in.csv"), List.of(
                List.of(host.url("a"), host.url("b")), List.of(host.url("c"))));

        Cli.Run run = Cli.run("process", "--data", data(), "--allow-loopback", csv.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.get(0)).matches("[0-9a-f-]{36}");
        Path output = Path.of(lines.get(lines.size() - 1));
        assertThat(output).isEqualTo(dir.resolve("data/csv/" + lines.get(0) + ".csv").toAbsolutePath());
        List<CSVRecord> records = Csv.read(output);
        assertThat(records).hasSize(2);
        String[] first = records.get(0).get("output_image_urls").split(", ");
        assertThat(first).hasSize(2);
        BufferedImage image = ImageIO.read(Path.of(java.net.URI.create(first[0])).toFile());
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(24);
        assertThat(run.err()).contains("3/3").contains("COMPLETED, 3 of 3 images processed");
    }

    @Test
    void exitsOneAndListsFailuresWhenSomeImagesFail() throws Exception {
        Path csv = Csv.input(dir.resolve("in.csv"), List.of(
                List.of(host.url("ok")), List.of(host.missingUrl("gone"))));

        Cli.Run run = Cli.run("process", "--data", data(), "--allow-loopback", csv.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("COMPLETED_WITH_ERRORS").contains("1 failed")
                .contains("row 2, image 1: HTTP_STATUS (HTTP 404) " + host.missingUrl("gone"));
        List<CSVRecord> records = Csv.read(Path.of(run.outLines().get(run.outLines().size() - 1)));
        assertThat(records.get(1).get("output_image_urls")).isEmpty();
    }

    @Test
    void refusesLoopbackImagesUnlessAllowed() throws Exception {
        Path csv = Csv.input(dir.resolve("in.csv"), List.of(List.of(host.url("private"))));
        int before = host.hits(host.url("private"));

        Cli.Run run = Cli.run("process", "--data", data(), csv.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("BLOCKED_ADDRESS");
        assertThat(host.hits(host.url("private"))).isEqualTo(before);
    }

    @Test
    void invalidCsvListsProblemsWithLineNumbersExitsTwoAndWritesNothing() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "serial_no,product_name,input_image_urls\n"
                + "1,Shoe,http://example.com/a.jpg\n"
                + "2,Hat,ftp://example.com/b.jpg\n"
                + "3,Cap,\n"
                + "4,Sock\n", StandardCharsets.UTF_8);

        Cli.Run run = Cli.run("process", "--data", data(), csv.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("is not a valid input CSV").contains("line 3, column input_image_urls")
                .contains("line 4, column input_image_urls: no image URLs")
                .contains("line 5: row has 2 cells");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void invalidCsvLeavesAnExistingDataDirectoryWithoutANewRequest() throws Exception {
        Path csv = Csv.input(dir.resolve("ok.csv"), List.of(List.of(host.url("x"))));
        assertThat(Cli.run("process", "--data", data(), "--allow-loopback", csv.toString()).exit()).isZero();
        List<Path> before = listing(dir.resolve("data"));
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "just,some,columns\n1,2,3\n", StandardCharsets.UTF_8);

        Cli.Run run = Cli.run("process", "--data", data(), bad.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(listing(dir.resolve("data"))).isEqualTo(before);
    }

    @Test
    void exitsThreeForAMissingFileABadFlagOrABadValue() {
        assertThat(Cli.run("process", "--data", data(), dir.resolve("nope.csv").toString()).exit()).isEqualTo(3);
        assertThat(Cli.run("process", "--no-such-flag", "x.csv").exit()).isEqualTo(3);
        Cli.Run badCidr = Cli.run("process", "--data", data(), "--allow-cidr", "10.0.0.0/99", "x.csv");
        assertThat(badCidr.exit()).isEqualTo(3);
        Cli.Run badWorkers = Cli.run("process", "--data", data(), "--workers", "0", "x.csv");
        assertThat(badWorkers.exit()).isEqualTo(3);
        assertThat(Cli.run("process").exit()).isEqualTo(3);
    }

    @Test
    void exitsThreeWhenAnotherProcessHoldsTheDataDirectory() throws Exception {
        Path csv = Csv.input(dir.resolve("in.csv"), List.of(List.of(host.url("locked"))));
        try (var held = dev.imagebatch.fs.FileStatusStore.open(dir.resolve("data"))) {
            Cli.Run run = Cli.run("process", "--data", data(), "--allow-loopback", csv.toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(3);
            assertThat(run.err()).startsWith("error: ");
        }
    }

    @Test
    void sendsASignedWebhookWhenTheRequestFinishes() throws Exception {
        Map<String, String> received = new ConcurrentHashMap<>();
        CountDownLatch delivered = new CountDownLatch(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.put("signature", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature")));
            received.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            delivered.countDown();
        });
        receiver.start();
        try {
            Path csv = Csv.input(dir.resolve("in.csv"), List.of(List.of(host.url("hooked"))));
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

            Cli.Run run = Cli.run("process", "--data", data(), "--allow-loopback", "--webhook", hook,
                    "--webhook-secret", "s3cret", csv.toString());

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(received.get("signature")).startsWith("v1,");
            assertThat(received.get("body")).contains(run.outLines().get(0));
        } finally {
            receiver.stop(0);
        }
    }

    private static List<Path> listing(Path root) throws Exception {
        try (var paths = Files.walk(root)) {
            return paths.map(root::relativize).sorted().toList();
        }
    }
}
