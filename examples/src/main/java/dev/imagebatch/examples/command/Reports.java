package dev.imagebatch.examples.command;

import dev.imagebatch.ImageResult;
import dev.imagebatch.InvalidCsvException;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import dev.imagebatch.examples.progress.WebhookWaiter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Text the commands print about requests, in one place so every command words it alike. */
final class Reports {

    private static final int FAILURES_LISTED = 20;

    private Reports() {
    }

    /** A {@code file:} URL as a local path; anything else as the URL. */
    static String location(URI url) {
        if ("file".equalsIgnoreCase(url.getScheme())) {
            return Path.of(url).toString();
        }
        return url.toString();
    }

    /** Every problem of a rejected CSV, one per line, with its line number. */
    static void problems(PrintWriter err, String file, InvalidCsvException e) {
        int count = e.problems().size();
        err.println("error: " + file + " is not a valid input CSV (" + count + " problem" + (count == 1 ? "" : "s") + "):");
        e.problems().forEach(problem -> err.println("  " + problem));
        err.flush();
    }

    /** A line on how a request ended, and the images that failed (the first few, if many did). */
    static void outcome(PrintWriter err, RequestStatus status, List<ImageResult> images) {
        err.println("Request " + status.requestId() + ": " + status.state() + ", " + status.succeeded() + " of "
                + status.totalImages() + " images processed" + (status.failed() > 0 ? ", " + status.failed() + " failed" : ""));
        if (status.state() == RequestState.FAILED) {
            err.println("  reason: " + status.failureReason().orElse("unknown"));
        }
        List<ImageResult> failures = images.stream().filter(image -> !image.succeeded()).toList();
        failures.stream().limit(FAILURES_LISTED).forEach(image -> err.println("  row " + image.row() + ", image "
                + image.index() + ": " + image.error().orElseThrow().code() + " (" + image.error().orElseThrow().message()
                + ") " + image.inputUrl()));
        if (failures.size() > FAILURES_LISTED) {
            err.println("  ... and " + (failures.size() - FAILURES_LISTED) + " more (see the 'status' command)");
        }
        err.flush();
    }

    /** Waits for the request's webhook, if it has one, and tells how its delivery ended. */
    static void webhook(PrintWriter err, WebhookWaiter webhooks, RequestStatus finished) throws InterruptedException {
        if (finished.webhook().state() != WebhookDelivery.State.PENDING) {
            return;
        }
        err.println("Sending the webhook of request " + finished.requestId() + "...");
        err.flush();
        WebhookDelivery delivery = webhooks.await(finished);
        err.println("Webhook " + delivery.state().name().toLowerCase(Locale.ROOT) + " after " + delivery.attempts()
                + " attempt" + (delivery.attempts() == 1 ? "" : "s")
                + delivery.lastError().map(error -> " (last error: " + error + ")").orElse(""));
        err.flush();
    }
}
