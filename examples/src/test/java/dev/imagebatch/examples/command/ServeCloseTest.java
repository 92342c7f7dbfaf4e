package dev.imagebatch.examples.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.examples.ImageHost;
import dev.imagebatch.reliability.Leftovers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once {@code serve} has stopped (as on Ctrl-C), it has left no thread, open file or socket: the
 * HTTP server, the engine, the fetcher and the file store are all closed. Runs serve once to load
 * classes, then measures a second run that processes an upload.
 */
class ServeCloseTest {

    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"([0-9a-f-]{36})\"");

    @TempDir
    Path dir;

    @Test
    @EnabledOnOs(OS.LINUX)
    void stoppedServeLeavesNoThreadsFilesOrSockets() throws Exception {
        serveOneUpload(dir.resolve("first"));
        Leftovers.Snapshot before = Leftovers.snapshot();
        serveOneUpload(dir.resolve("second"));
        Leftovers.Found left = Leftovers.since(before, Leftovers.JVM_WIDE);
        System.out.printf("after serve stopped: %s (baseline %d threads, %d file descriptors of which %d sockets)%n",
                left, before.threads().size(), before.files(), before.sockets());

        assertThat(left.threads()).isEmpty();
        assertThat(left.files()).isNotPositive();
        assertThat(left.sockets()).isNotPositive();
    }

    /** Serves one upload from an image host of its own (closed with it, so its threads end too). */
    private static void serveOneUpload(Path data) throws Exception {
        try (ImageHost host = new ImageHost(); ServeInThread serve = ServeInThread.start(data)) {
            URI base = serve.url();
            OkHttpClient http = new OkHttpClient();
            String csv = "serial_no,product_name,input_image_urls\n1,Shoe,\"" + host.url("a") + "," + host.url("b") + "\"\n";
            String answer;
            try (Response uploaded = http.newCall(new Request.Builder().url(base.resolve("api/upload").toString())
                    .post(new MultipartBody.Builder().setType(MultipartBody.FORM)
                            .addFormDataPart("file", "p.csv", RequestBody.create(csv.getBytes(StandardCharsets.UTF_8),
                                    MediaType.get("text/csv")))
                            .build())
                    .build()).execute()) {
                answer = uploaded.body().string();
                assertThat(uploaded.code()).as(answer).isEqualTo(200);
            } finally {
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
            }
            Matcher id = REQUEST_ID.matcher(answer);
            assertThat(id.find()).isTrue();
            Path output = data.resolve("csv").resolve(id.group(1) + ".csv");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(output)) {
                assertThat(System.nanoTime()).as("output CSV written in time").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(serve.stop()).isZero(); // stops as on Ctrl-C
        }
    }
}
