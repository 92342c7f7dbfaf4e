package dev.imagebatch.examples.command;

import dev.imagebatch.RequestStatus;
import dev.imagebatch.examples.options.EngineOptions;
import dev.imagebatch.examples.options.FetchOptions;
import dev.imagebatch.examples.options.StorageOptions;
import dev.imagebatch.examples.progress.Listeners;
import dev.imagebatch.examples.progress.ProgressBarListener;
import dev.imagebatch.examples.progress.WebhookWaiter;
import dev.imagebatch.examples.wiring.Engine;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code resume}: finishes every request a killed or stopped run left unfinished in the data directory. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Finish every unfinished request in the data directory.", "",
                "For requests left by a crash, a kill or Ctrl-C. Images that already have a result are not "
                        + "fetched again. Prints one line per request: its id, its final state and its output CSV's "
                        + "path or URL, separated by tabs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:nothing to resume, or every resumed request completed without failures",
                "1:a resumed request completed with image failures",
                "3:any other error (a resumed request failed, storage trouble...)"})
public final class ResumeCommand implements Callable<Integer> {

    @Mixin
    StorageOptions storage;

    @Mixin
    FetchOptions fetch;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<RequestStatus> finished = new ArrayList<>();
        WebhookWaiter webhooks = new WebhookWaiter();
        try (ProgressBarListener bar = ProgressBarListener.forStandardError(err, "Resuming");
             Engine running = Engines.open(storage, Optional.empty(), fetch, engine, Listeners.all(bar, webhooks))) {
            List<String> ids = running.service().resumeUnfinished();
            if (ids.isEmpty()) {
                err.println("Nothing to resume in " + storage.describe() + ".");
                return ExitCodes.OK;
            }
            err.println("Resuming " + ids.size() + " unfinished request" + (ids.size() == 1 ? "" : "s") + ".");
            err.flush();
            try (StopOnSignal stop = new StopOnSignal(running, err, "Stopping: run 'resume' again to finish.")) {
                for (String id : ids) {
                    finished.add(running.service().await(id).get());
                }
                bar.close();
                for (RequestStatus status : finished) {
                    Reports.outcome(err, status, running.service().images(status.requestId()));
                    Reports.webhook(err, webhooks, status);
                }
            }
        }
        int exit = ExitCodes.OK;
        for (RequestStatus status : finished) {
            out.println(status.requestId() + "\t" + status.state() + "\t"
                    + status.outputCsvUrl().map(Reports::location).orElse("-"));
            exit = Math.max(exit, ExitCodes.of(status.state()));
        }
        out.flush();
        return exit;
    }
}
