package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagebatch.examples.Cli;
import dev.imagebatch.examples.Csv;
import dev.imagebatch.examples.ImageHost;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsTheApiFieldsAndEveryImageAsJson() throws Exception {
        try (ImageHost host = new ImageHost()) {
            Path csv = Csv.input(dir.resolve("in.csv"), List.of(List.of(host.url("a"), host.missingUrl("b"))));
            Cli.Run processed = Cli.run("process", "--data", dir.toString(), "--allow-loopback", csv.toString());
            String id = processed.outLines().get(0);

            Cli.Run run = Cli.run("status", "--data", dir.toString(), id);

            assertThat(run.exit()).as(run.toString()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("request_id").asText()).isEqualTo(id);
            assertThat(json.get("status").asText()).isEqualTo("completed");
            assertThat(json.get("state").asText()).isEqualTo("COMPLETED_WITH_ERRORS");
            assertThat(json.get("file_path").asText()).startsWith("file:").endsWith("/csv/" + id + ".csv");
            assertThat(json.get("total_images").asInt()).isEqualTo(2);
            assertThat(json.get("succeeded").asInt()).isEqualTo(1);
            assertThat(json.get("failed").asInt()).isEqualTo(1);
            JsonNode images = json.get("images");
            assertThat(images).hasSize(2);
            assertThat(images.get(0).get("row").asInt()).isEqualTo(1);
            assertThat(images.get(0).get("index").asInt()).isEqualTo(1);
            assertThat(images.get(0).get("url").asText()).isEqualTo(host.url("a"));
            assertThat(images.get(0).get("output_url").asText()).endsWith("/images/" + id + "/1/1.jpg");
            assertThat(images.get(0).has("error")).isFalse();
            assertThat(images.get(1).get("index").asInt()).isEqualTo(2);
            assertThat(images.get(1).has("output_url")).isFalse();
            assertThat(images.get(1).get("error").get("code").asText()).isEqualTo("HTTP_STATUS");
            assertThat(images.get(1).get("error").get("message").asText()).isEqualTo("HTTP 404");
            assertThat(images.get(1).get("error").get("http_status").asInt()).isEqualTo(404);
        }
    }

    @Test
    void unknownRequestExitsThree() {
        Cli.Run run = Cli.run("status", "--data", dir.toString(), "00000000-0000-0000-0000-000000000000");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("no request 00000000-0000-0000-0000-000000000000");
    }
}
