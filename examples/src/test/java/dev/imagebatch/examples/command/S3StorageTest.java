package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagebatch.examples.Cli;
import dev.imagebatch.examples.Csv;
import dev.imagebatch.examples.ImageHost;
import dev.imagebatch.examples.S3Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --storage s3} against an S3-compatible server on 127.0.0.1 (S3Proxy), with credentials
 * found by the AWS default provider chain (here its system-property step).
 */
class S3StorageTest {

    private static final String BUCKET = S3Server.BUCKET;

    private static S3Server s3;
    private static URI endpoint;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.start();
        endpoint = s3.endpoint();
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
    }

    @AfterAll
    static void stopS3() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (s3 != null) {
            s3.close();
        }
    }

    private List<String> s3Flags() {
        return List.of("--storage", "s3", "--s3-endpoint", endpoint.toString(), "--s3-bucket", BUCKET,
                "--s3-prefix", "runs/", "--s3-region", "us-east-1", "--s3-path-style");
    }

    private Cli.Run cli(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(s3Flags());
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void processWritesToTheBucketAndHandsOutPresignedUrlsThatStatusReadsBack() throws Exception {
        try (ImageHost host = new ImageHost(50, 40)) {
            Path csv = Csv.input(dir.resolve("in.csv"), List.of(List.of(host.url("s1"), host.missingUrl("s2"))));

            Cli.Run run = cli("process", "--allow-loopback", csv.toString());

            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            String id = run.outLines().get(0);
            String csvUrl = run.outLines().get(run.outLines().size() - 1);
            assertThat(csvUrl).startsWith(endpoint + "/" + BUCKET + "/runs/csv/" + id + ".csv?")
                    .contains("X-Amz-Signature=");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> output = http.send(HttpRequest.newBuilder(URI.create(csvUrl)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(output.statusCode()).isEqualTo(200);
            List<CSVRecord> rows = Csv.read(output.body());
            String[] images = rows.get(0).get("output_image_urls").split(", ", -1);
            assertThat(images[0]).startsWith(endpoint + "/" + BUCKET + "/runs/images/" + id + "/1/1.jpg?");
            assertThat(images[1]).isEmpty();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(images[0])).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);

            Cli.Run status = cli("status", id);

            assertThat(status.exit()).as(status.toString()).isZero();
            JsonNode json = new ObjectMapper().readTree(status.out());
            assertThat(json.get("state").asText()).isEqualTo("COMPLETED_WITH_ERRORS");
            assertThat(json.get("file_path").asText()).isEqualTo(csvUrl);
            assertThat(json.get("images").get(1).get("error").get("code").asText()).isEqualTo("HTTP_STATUS");
            assertThat(dir.resolve("imagebatch-data")).doesNotExist();
        }
    }

    @Test
    void resumeWithNothingUnfinishedInTheBucketExitsZero() {
        Cli.Run run = cli("resume");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.err()).contains("Nothing to resume in s3://" + BUCKET + "/runs/");
    }

    @Test
    void s3WithoutABucketIsAnError() {
        Cli.Run run = Cli.run("status", "--storage", "s3", "some-id");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("--s3-bucket is required");
    }
}
