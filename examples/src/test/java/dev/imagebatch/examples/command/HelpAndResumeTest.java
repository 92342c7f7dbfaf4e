package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.examples.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class HelpAndResumeTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"demo", "process", "status", "resume", "serve"})
    void everyCommandDescribesItselfWithHelp(String command) {
        Cli.Run run = Cli.run(command, "--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("Usage: imagebatch-examples " + command);
    }

    @Test
    void processHelpListsTheContractFlagsAndExitCodes() {
        String help = Cli.run("process", "--help").out();

        assertThat(help).contains("--data", "--allow-loopback", "--allow-cidr", "--webhook", "--webhook-secret",
                "--fetch-concurrency", "--workers", "--max-pixels", "--max-bytes", "--connect-timeout",
                "--read-timeout", "--call-timeout", "FILE.csv");
        assertThat(help).contains("0   every image succeeded").contains("2   invalid CSV").contains("3   any other error");
    }

    @Test
    void serveHelpListsItsFlags() {
        assertThat(Cli.run("serve", "--help").out())
                .contains("--port", "--host", "--data", "--public-url", "--allow-loopback", "--allow-cidr");
    }

    @Test
    void withoutACommandShowsTheUsageAndExitsThree() {
        Cli.Run run = Cli.run();

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("Missing a command").contains("demo").contains("serve");
    }

    @Test
    void resumeWithNothingUnfinishedSaysSoAndExitsZero() {
        Cli.Run run = Cli.run("resume", "--data", dir.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Nothing to resume");
    }
}
