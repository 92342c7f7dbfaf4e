package dev.imagebatch.examples.command;

import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ScaleOutSettings;
import dev.imagebatch.examples.options.EngineOptions;
import dev.imagebatch.examples.options.FetchOptions;
import dev.imagebatch.examples.options.ScaleOutOptions;
import dev.imagebatch.examples.options.StorageOptions;
import dev.imagebatch.examples.server.ApiServer;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serve}: the original service's HTTP API and an upload page, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the HTTP API and an upload page.", "",
                "POST /api/upload, GET /api/status?request_id=ID, GET /static/csv/... and /static/images/..., "
                        + "and the upload page at /. Unfinished requests in the data directory are resumed at start. "
                        + "Stop with Ctrl-C: requests still running stay resumable.", "",
                "With --storage s3, file_path and the image URLs point into the bucket (presigned, or under "
                        + "--s3-public-url) and /static/ serves nothing.", "",
                "With --storage s3 --scale-out, several serve and worker instances share the bucket: uploads are "
                        + "split into chunks that any of them processes, and any of them answers status."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "3:could not start (port in use, data directory locked...)"})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "URL clients reach this server at, used in file_path and output_image_urls "
                    + "(default: http://HOST:PORT/).")
    URI publicUrl;

    @Mixin
    StorageOptions storage;

    @Mixin
    FetchOptions fetch;

    @Mixin
    EngineOptions engine;

    @Mixin
    ScaleOutOptions scaleOut;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<ScaleOutSettings> shared = scaleOut.settings(false);
        ApiServer server = ApiServer.start(host, port, Optional.ofNullable(publicUrl), storage.isLocal() ? Optional.of(storage.dataDirectory()) : Optional.empty(),
                objects -> Engines.open(storage, Optional.of(objects), fetch, engine, ProcessingListener.NONE, shared));
        try (StopOnSignal stop = new StopOnSignal(() -> {
            server.close();
            stopped.countDown();
        }, err, "Stopping the server; unfinished requests stay resumable.")) {
            out.println("Serving " + server.url() + " (upload page at /, API at /api/), data in "
                    + storage.describe());
            if (!server.resumed().isEmpty()) {
                out.println("Resumed " + server.resumed().size() + " unfinished request(s): "
                        + String.join(", ", server.resumed()));
            }
            out.flush();
            stopped.await();
        } catch (InterruptedException e) {
            // Interrupted by an embedding caller (a test): stop like on Ctrl-C. The flag is restored
            // only after closing, since the web server's shutdown would abort on it.
            server.close();
            Thread.currentThread().interrupt();
        } finally {
            server.close();
        }
        return ExitCodes.OK;
    }
}
