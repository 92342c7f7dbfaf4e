package dev.imagebatch.examples.command;

import dev.imagebatch.InvalidCsvException;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.SubmitOptions;
import dev.imagebatch.examples.options.EngineOptions;
import dev.imagebatch.examples.options.FetchOptions;
import dev.imagebatch.examples.options.StorageOptions;
import dev.imagebatch.examples.progress.Listeners;
import dev.imagebatch.examples.progress.ProgressBarListener;
import dev.imagebatch.examples.progress.WebhookWaiter;
import dev.imagebatch.examples.wiring.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code process}: validates one CSV file, processes every image in it and waits for the end. */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = {"Process one CSV file and wait until every image is done.", "",
                "The CSV has the columns serial_no, product_name and input_image_urls. Every image is downloaded, "
                        + "halved and saved as JPEG quality 50, and an output CSV with an output_image_urls column is "
                        + "written. The first line of standard output is the request id, the last the output CSV's "
                        + "path or URL; a progress bar goes to standard error. A killed run is finished by 'resume'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every image succeeded", "1:completed, but some images failed",
                "2:invalid CSV (problems listed on standard error; nothing was stored)", "3:any other error"})
public final class ProcessCommand implements Callable<Integer> {

    @Mixin
    StorageOptions storage;

    @Mixin
    FetchOptions fetch;

    @Mixin
    EngineOptions engine;

    @Option(names = "--webhook", paramLabel = "URL",
            description = "POST a signed JSON notice to this URL when the request finishes.")
    URI webhook;

    @Parameters(paramLabel = "FILE.csv", description = "The input CSV file.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println("error: no such file: " + file);
            return ExitCodes.ERROR;
        }
        SubmitOptions options = webhook == null ? SubmitOptions.defaults() : SubmitOptions.webhook(webhook);
        boolean dataExisted = !storage.isLocal() || Files.exists(storage.dataDirectory());
        String requestId;
        RequestStatus done;
        WebhookWaiter webhooks = new WebhookWaiter();
        try (ProgressBarListener bar = ProgressBarListener.forStandardError(err, "Images");
             Engine running = Engines.open(storage, Optional.empty(), fetch, engine, Listeners.all(bar, webhooks))) {
            try {
                requestId = running.service().submit(file, options);
            } catch (InvalidCsvException e) {
                running.close();
                if (!dataExisted) {
                    removeUntouchedDirectory(storage.dataDirectory());
                }
                Reports.problems(err, file.toString(), e);
                return ExitCodes.INVALID_CSV;
            }
            out.println(requestId);
            out.flush();
            try (StopOnSignal stop = new StopOnSignal(running, err,
                    "Stopping: images in flight are recorded; run 'resume' to finish request " + requestId + ".")) {
                done = running.service().await(requestId).get();
                bar.close();
                Reports.outcome(err, done, running.service().images(requestId));
                Reports.webhook(err, webhooks, done);
            }
        }
        done.outputCsvUrl().ifPresent(url -> out.println(Reports.location(url)));
        out.flush();
        return ExitCodes.of(done.state());
    }

    /**
     * Opening the store created the data directory (and its lock file); a rejected CSV must leave
     * nothing behind, so a directory this command created is removed again.
     */
    private static void removeUntouchedDirectory(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
