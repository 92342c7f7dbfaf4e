package dev.imagebatch;

/**
 * Callbacks about processing, for progress bars, metrics and logs. Every method has a no-op
 * default, so implement only what you need.
 *
 * <p><b>Contract.</b> Methods are called from the library's worker threads, possibly from several
 * at once: keep them fast, do not block, and be thread-safe. An exception thrown by a listener is
 * logged at WARN and otherwise ignored; it never affects processing.
 */
public interface ProcessingListener {

    /** A listener that does nothing. */
    ProcessingListener NONE = new ProcessingListener() {
    };

    /** A request was accepted (or resumed) and processing starts. */
    default void onRequestStarted(RequestStatus status) {
    }

    /** One image has its result. Repeated URLs report once per position. */
    default void onImageFinished(String requestId, ImageResult result) {
    }

    /** A request reached a terminal state; its output CSV (if any) is published. */
    default void onRequestFinished(RequestStatus status) {
    }

    /** A webhook attempt ended, successfully or not. */
    default void onWebhookAttempt(String requestId, WebhookDelivery delivery) {
    }
}
