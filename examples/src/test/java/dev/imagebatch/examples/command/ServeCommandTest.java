package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.examples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void servesTheApiUntilInterruptedThenExitsZero() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = thread.submit(() -> Main.commandLine()
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute("serve", "--port", "0", "--data", dir.toString(), "--allow-loopback"));
            URI base = awaitUrl(out, exit);

            HttpResponse<String> unknown = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base.resolve("api/status?request_id=abc")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).isEqualTo("{\"error\":\"Request with request id abc not found\"}");

            thread.shutdownNow(); // interrupts the command, which stops like on Ctrl-C
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(out.toString()).contains("data in " + dir.toAbsolutePath());
        } finally {
            thread.shutdownNow();
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

    /** Waits for serve to print the URL it listens at. */
    static URI awaitUrl(StringWriter out, Future<Integer> exit) throws Exception {
        Pattern serving = Pattern.compile("Serving (http://127\\.0\\.0\\.1:\\d+/)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher matcher = serving.matcher(out.toString());
            if (matcher.find()) {
                return URI.create(matcher.group(1));
            }
            if (exit.isDone()) {
                throw new AssertionError("serve ended early with " + exit.get() + ": " + out);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("serve printed no URL: " + out);
    }
}
