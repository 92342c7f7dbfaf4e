package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagebatch.examples.ApiCalls;
import dev.imagebatch.examples.ImageHost;
import dev.imagebatch.examples.Main;
import dev.imagebatch.s3.S3TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --scale-out --accept-only} takes an upload and a {@code worker} on the same bucket
 * processes it; both answer to being stopped like to SIGTERM. (The multi-process test of the
 * commands, with killed and paused workers, is {@code ScaleOutTest}.)
 */
class WorkerCommandTest {

    private static S3TestServer s3;
    private static String bucket;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3TestServer.start();
        bucket = s3.newBucket();
        System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
    }

    @AfterAll
    static void stopS3() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (s3 != null) {
            s3.close();
        }
    }

    private static String[] args(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--storage", "s3", "--s3-endpoint", s3.endpoint().toString(),
                "--s3-bucket", bucket, "--s3-prefix", "scale/", "--s3-region", "us-east-1", "--s3-path-style",
                "--allow-loopback", "--chunk-rows", "2", "--lease", "5s", "--renew-interval", "1s",
                "--max-clock-skew", "1s", "--poll-interval", "100ms"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aWorkerProcessesWhatAnAcceptOnlyServerTookIn() throws Exception {
        StringWriter workerOut = new StringWriter();
        StringWriter serveOut = new StringWriter();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (ImageHost host = new ImageHost(40, 30)) {
            Future<Integer> worker = threads.submit(() -> Main.commandLine()
                    .setOut(new PrintWriter(workerOut, true)).setErr(new PrintWriter(new StringWriter(), true))
                    .execute(args("worker", "--instance-id", "worker-1")));
            Future<Integer> serve = threads.submit(() -> Main.commandLine()
                    .setOut(new PrintWriter(serveOut, true)).setErr(new PrintWriter(new StringWriter(), true))
                    .execute(args("serve", "--port", "0", "--scale-out", "--accept-only", "--instance-id", "front")));
            URI base = URI.create(await(Pattern.compile("Serving (http://127\\.0\\.0\\.1:\\d+/)"), serveOut, serve));
            await(Pattern.compile("Worker (worker-1) taking work from s3://"), workerOut, worker);

            StringBuilder csv = new StringBuilder("serial_no,product_name,input_image_urls\n");
            for (int row = 1; row <= 5; row++) {
                csv.append(row).append(",P").append(row).append(",\"").append(host.url("r" + row + "a")).append(", ")
                        .append(host.url("r" + row + "b")).append("\"\n");
            }
            String id = ApiCalls.upload(base, csv.toString(), Optional.empty());
            JsonNode done = awaitFinished(base, id);

            assertThat(done.get("state").asText()).isEqualTo("COMPLETED");
            assertThat(done.get("succeeded").asInt()).isEqualTo(10);
            assertThat(done.get("images")).hasSize(10);
            assertThat(host.totalHits()).as("each image fetched once, by the worker").isEqualTo(10);

            threads.shutdownNow(); // interrupts both commands, which stop as on SIGTERM
            assertThat(worker.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(serve.get(30, TimeUnit.SECONDS)).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void scaleOutOnADataDirectoryIsRefused(@TempDir Path dir) {
        for (String[] args : List.of(new String[] {"worker", "--data", dir.toString()},
                new String[] {"serve", "--port", "0", "--scale-out", "--data", dir.toString()})) {
            StringWriter err = new StringWriter();
            int exit = Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err, true))
                    .execute(args);
            assertThat(exit).as(args[0]).isEqualTo(3);
            assertThat(err.toString()).as(args[0]).contains("--scale-out needs --storage s3");
        }
    }

    private static JsonNode awaitFinished(URI base, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode status = ApiCalls.status(base, id);
            if (!status.get("status").asText().equals("processing")) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("request " + id + " did not finish");
    }

    private static String await(Pattern pattern, StringWriter out, Future<Integer> command) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher matcher = pattern.matcher(out.toString());
            if (matcher.find()) {
                return matcher.group(1);
            }
            if (command.isDone()) {
                throw new AssertionError("the command ended early with " + command.get() + ": " + out);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line matching " + pattern + ": " + out);
    }
}
