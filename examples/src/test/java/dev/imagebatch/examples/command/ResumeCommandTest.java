package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.examples.Cli;
import dev.imagebatch.examples.Csv;
import dev.imagebatch.examples.ImageHost;
import dev.imagebatch.examples.wiring.Engine;
import dev.imagebatch.examples.wiring.Storage;
import dev.imagebatch.fs.FileStatusStore;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeCommandTest {

    @TempDir
    Path dir;

    /** Leaves a request PROCESSING with no results, as a process killed right after submitting would. */
    private String abandonedRequest(Path data, ImageHost host, List<List<String>> rows) throws Exception {
        host.hold();
        try (Engine engine = Engine.start(Storage.filesystem(data, Optional.empty()),
                OkHttpImageFetcher.builder().addressPolicy(AddressPolicy.publicOnly().allow("127.0.0.1/32")).build(),
                ProcessingSettings.builder().shutdownTimeout(Duration.ZERO).build(),
                WebhookSettings.defaults(), ProcessingListener.NONE)) {
            return engine.service().submit(Csv.input(dir.resolve("in.csv"), rows));
        } finally {
            host.release();
        }
    }

    @Test
    void resumedRequestWithAFailedImageExitsOneAndPrintsItsLine() throws Exception {
        Path data = dir.resolve("data");
        try (ImageHost host = new ImageHost()) {
            String id = abandonedRequest(data, host, List.of(List.of(host.url("ok")), List.of(host.missingUrl("gone"))));

            Cli.Run run = Cli.run("resume", "--data", data.toString(), "--allow-loopback");

            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).isEqualTo(id + "\tCOMPLETED_WITH_ERRORS\t"
                    + data.resolve("csv/" + id + ".csv").toAbsolutePath() + "\n");
            assertThat(run.err()).contains("Resuming 1 unfinished request").contains("2/2")
                    .contains("row 2, image 1: HTTP_STATUS (HTTP 404)");
        }
    }

    @Test
    void resumeExitsThreeWhenTheDataDirectoryIsInUse() throws Exception {
        Path data = dir.resolve("data");
        try (FileStatusStore held = FileStatusStore.open(data)) {
            Cli.Run run = Cli.run("resume", "--data", data.toString());

            assertThat(run.exit()).as(run.toString()).isEqualTo(3);
            assertThat(run.err()).startsWith("error: ");
        }
    }
}
