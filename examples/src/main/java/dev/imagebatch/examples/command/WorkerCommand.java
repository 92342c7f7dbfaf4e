package dev.imagebatch.examples.command;

import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ScaleOutSettings;
import dev.imagebatch.examples.options.EngineOptions;
import dev.imagebatch.examples.options.FetchOptions;
import dev.imagebatch.examples.options.ScaleOutOptions;
import dev.imagebatch.examples.options.StorageOptions;
import dev.imagebatch.examples.wiring.Engine;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code worker}: an instance that only takes shared work from the bucket, until stopped. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Process chunks of requests shared on an S3 bucket, until stopped (no HTTP).", "",
                "Needs --storage s3; --scale-out is implied. Requests are accepted by 'serve --storage s3 --scale-out' "
                        + "instances on the same bucket and prefix; any number of workers and servers may run at once. "
                        + "Stop with Ctrl-C or SIGTERM: the chunks in progress record their results and are released "
                        + "for other instances at once; a killed worker's chunks are taken over when their leases expire."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "3:could not start (no bucket, bad settings...)"})
public final class WorkerCommand implements Callable<Integer> {

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
        ScaleOutSettings settings = scaleOut.settings(true).orElseThrow();
        if (!settings.takesWork()) {
            throw new IllegalArgumentException("--accept-only is for serve; a worker only takes work");
        }
        try (Engine running = Engines.open(storage, Optional.empty(), fetch, engine, ProcessingListener.NONE,
                Optional.of(settings));
             StopOnSignal stop = new StopOnSignal(() -> {
                 running.close();
                 stopped.countDown();
             }, err, "Stopping the worker; its chunks in progress are released.")) {
            out.println("Worker " + settings.instanceId() + " taking work from " + storage.describe());
            out.flush();
            stopped.await();
        } catch (InterruptedException e) {
            // Interrupted by an embedding caller (a test): closing the engine above stopped it like SIGTERM.
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }
}
