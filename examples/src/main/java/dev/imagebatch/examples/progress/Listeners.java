package dev.imagebatch.examples.progress;

import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingListener;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import java.util.List;

/** Combines listeners: every callback goes to each, in order. */
public final class Listeners {

    private Listeners() {
    }

    /** A listener calling all of {@code listeners}. */
    public static ProcessingListener all(ProcessingListener... listeners) {
        List<ProcessingListener> each = List.of(listeners);
        return new ProcessingListener() {
            @Override
            public void onRequestStarted(RequestStatus status) {
                each.forEach(listener -> listener.onRequestStarted(status));
            }

            @Override
            public void onImageFinished(String requestId, ImageResult result) {
                each.forEach(listener -> listener.onImageFinished(requestId, result));
            }

            @Override
            public void onRequestFinished(RequestStatus status) {
                each.forEach(listener -> listener.onRequestFinished(status));
            }

            @Override
            public void onWebhookAttempt(String requestId, WebhookDelivery delivery) {
                each.forEach(listener -> listener.onWebhookAttempt(requestId, delivery));
            }
        };
    }
}
