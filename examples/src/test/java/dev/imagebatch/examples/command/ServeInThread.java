package dev.imagebatch.examples.command;

import dev.imagebatch.examples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code serve} command on a thread of the test JVM, on a free port, fetching from loopback. */
final class ServeInThread implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("Serving (http://127\\.0\\.0\\.1:\\d+/)");

    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Future<Integer> exit;
    private final URI url;

    private ServeInThread(Path data) throws Exception {
        exit = thread.submit(() -> Main.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("serve", "--port", "0", "--data", data.toString(), "--allow-loopback"));
        url = awaitUrl();
    }

    /** Starts serve over {@code data} and waits until it listens. */
    static ServeInThread start(Path data) throws Exception {
        return new ServeInThread(data);
    }

    /** The URL serve listens at. */
    URI url() {
        return url;
    }

    /** What serve printed on standard output so far. */
    String output() {
        return out.toString();
    }

    /** Interrupts serve, which stops as on Ctrl-C, and returns its exit code. */
    int stop() throws Exception {
        thread.shutdownNow();
        return exit.get(60, TimeUnit.SECONDS);
    }

    private URI awaitUrl() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher matcher = SERVING.matcher(out.toString());
            if (matcher.find()) {
                return URI.create(matcher.group(1));
            }
            if (exit.isDone()) {
                throw new AssertionError("serve ended early with " + exit.get() + ": " + out + err);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("serve printed no URL: " + out + err);
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(30, TimeUnit.SECONDS);
    }
}
