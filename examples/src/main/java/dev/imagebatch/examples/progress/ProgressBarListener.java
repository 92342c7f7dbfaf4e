package dev.imagebatch.examples.progress;

import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingListener;
import dev.imagebatch.RequestStatus;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows one progress bar for every request the service works on: images done of the total, the
 * rate, and how many failed. Requests that start later (several resumed at once) add to the total;
 * images a resumed request had already finished count as done from the start.
 *
 * <p>On a terminal the bar redraws in place; otherwise (a pipe, a log file, a test) it prints a
 * whole line about once a second, so the output stays readable.
 */
public final class ProgressBarListener implements ProcessingListener, AutoCloseable {

    private static final int LINE_WIDTH = 100;

    private final ProgressBarConsumer consumer;
    private final boolean interactive;
    private final String task;
    private final AtomicInteger failed = new AtomicInteger();
    private ProgressBar bar;
    private long total;
    private boolean closed;

    private ProgressBarListener(ProgressBarConsumer consumer, boolean interactive, String task) {
        this.consumer = consumer;
        this.interactive = interactive;
        this.task = task;
    }

    /**
     * A bar for standard error: redrawn in place on {@code System.err} when this process has a
     * terminal, otherwise printed as lines to {@code err} (the command line's error writer).
     */
    public static ProgressBarListener forStandardError(PrintWriter err, String task) {
        if (System.console() != null) {
            return new ProgressBarListener(new ConsoleProgressBarConsumer(System.err), true, task);
        }
        return lines(err, task);
    }

    /** A bar printed as whole lines to {@code out}, about once a second. */
    public static ProgressBarListener lines(PrintWriter out, String task) {
        String[] previous = {""};
        return new ProgressBarListener(new DelegatingProgressBarConsumer(line -> {
            String text = line.strip();
            // The bar redraws on a timer; on a line-oriented stream only changes are worth a line.
            if (!text.equals(previous[0])) {
                previous[0] = text;
                out.println(text);
                out.flush();
            }
        }, LINE_WIDTH), false, task);
    }

    @Override
    public void onRequestStarted(RequestStatus status) {
        synchronized (this) {
            if (closed) {
                return;
            }
            total += status.totalImages();
            failed.addAndGet(status.failed());
            if (bar == null) {
                bar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total)
                        .setStyle(interactive ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                        .setConsumer(consumer)
                        .setUnit(" img", 1)
                        .showSpeed()
                        .setUpdateIntervalMillis(interactive ? 200 : 1000)
                        .continuousUpdate()
                        .build();
            } else {
                bar.maxHint(total);
            }
            bar.stepBy(status.done());
            bar.setExtraMessage(failedMessage());
        }
    }

    @Override
    public void onImageFinished(String requestId, ImageResult result) {
        ProgressBar current;
        synchronized (this) {
            current = bar;
        }
        if (current == null) {
            return;
        }
        if (!result.succeeded()) {
            failed.incrementAndGet();
            current.setExtraMessage(failedMessage());
        }
        current.step();
    }

    private String failedMessage() {
        int count = failed.get();
        return count == 0 ? "" : " " + count + " failed";
    }

    /** Draws the final state and stops redrawing. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (bar != null) {
            bar.close();
        } else {
            consumer.close();
        }
    }

}
