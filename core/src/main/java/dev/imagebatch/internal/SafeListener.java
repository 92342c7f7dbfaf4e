package dev.imagebatch.internal;

import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingListener;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls the host's listener and swallows (logs) whatever it throws, so a host bug never breaks processing. */
public final class SafeListener implements ProcessingListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final ProcessingListener delegate;

    public SafeListener(ProcessingListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onRequestStarted(RequestStatus status) {
        guard("onRequestStarted", () -> delegate.onRequestStarted(status));
    }

    @Override
    public void onImageFinished(String requestId, ImageResult result) {
        guard("onImageFinished", () -> delegate.onImageFinished(requestId, result));
    }

    @Override
    public void onRequestFinished(RequestStatus status) {
        guard("onRequestFinished", () -> delegate.onRequestFinished(status));
    }

    @Override
    public void onWebhookAttempt(String requestId, WebhookDelivery delivery) {
        guard("onWebhookAttempt", () -> delegate.onWebhookAttempt(requestId, delivery));
    }

    private static void guard(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("ProcessingListener.{} threw; ignored", callback, e);
        }
    }
}
