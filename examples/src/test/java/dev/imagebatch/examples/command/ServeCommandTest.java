package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.examples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void servesTheApiUntilInterruptedThenExitsZero() throws Exception {
        try (ServeInThread serve = ServeInThread.start(dir)) {
            HttpResponse<String> unknown = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(serve.url().resolve("api/status?request_id=abc")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).isEqualTo("{\"error\":\"Request with request id abc not found\"}");

            assertThat(serve.stop()).isZero(); // interrupted, the command stops like on Ctrl-C
            assertThat(serve.output()).contains("data in " + dir.toAbsolutePath());
        }
    }

    @Test
    void exitsThreeWhenThePortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            int exit = Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err, true))
                    .execute("serve", "--port", Integer.toString(taken.getLocalPort()), "--data", dir.toString());
            assertThat(exit).isEqualTo(3);
            assertThat(err.toString()).startsWith("error: ");
        }
    }
}
