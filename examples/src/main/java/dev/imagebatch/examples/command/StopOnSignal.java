package dev.imagebatch.examples.command;

import java.io.PrintWriter;

/**
 * Closes a resource when the JVM is asked to stop (Ctrl-C, SIGTERM), so images in flight are
 * recorded and the request stays resumable; {@link #close()} withdraws the hook once the command
 * has finished normally. A SIGKILL runs no hook: the durable store is what makes that case safe.
 */
final class StopOnSignal implements AutoCloseable {

    private final Thread hook;

    StopOnSignal(AutoCloseable resource, PrintWriter err, String message) {
        hook = new Thread(() -> {
            err.println();
            err.println(message);
            err.flush();
            try {
                resource.close();
            } catch (Exception e) {
                err.println("error while stopping: " + e);
                err.flush();
            }
        }, "imagebatch-examples-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already stopping and the hook runs (or ran); nothing to withdraw.
        }
    }
}
