package dev.imagebatch.internal;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.image.ImageCodec;
import dev.imagebatch.image.ProcessedImage;
import dev.imagebatch.spi.FetchedImage;
import dev.imagebatch.spi.ImageFailureException;
import dev.imagebatch.spi.ImageFetcher;
import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.ResultPublisher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one distinct image URL through fetch (on the fetch executor), decode-resize-encode (on the
 * CPU executor) and publish (on its own executor, so workers never wait on storage and hung
 * downloads never hold up publishing).
 */
final class ImagePipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePipeline.class);

    private final ImageFetcher fetcher;
    private final ImageCodec codec;
    private final ResultPublisher publisher;
    private final Executor fetchExecutor;
    private final Executor cpuExecutor;
    private final Executor publishExecutor;

    ImagePipeline(ImageFetcher fetcher, ImageCodec codec, ResultPublisher publisher,
                  Executor fetchExecutor, Executor cpuExecutor, Executor publishExecutor) {
        this.fetcher = fetcher;
        this.codec = codec;
        this.publisher = publisher;
        this.fetchExecutor = fetchExecutor;
        this.cpuExecutor = cpuExecutor;
        this.publishExecutor = publishExecutor;
    }

    /** Starts the work, publishing under the image's usual key; the future never completes exceptionally. */
    CompletableFuture<Outcome> start(String requestId, int row, int index, String url) {
        return start(ObjectKeys.image(requestId, row, index, "jpg"), url);
    }

    /** Starts the work, publishing under {@code key}; the future never completes exceptionally. */
    CompletableFuture<Outcome> start(String key, String url) {
        CompletableFuture<Outcome> outcome;
        try {
            outcome = CompletableFuture.supplyAsync(() -> fetch(url), fetchExecutor)
                    .thenApplyAsync(this::encode, cpuExecutor)
                    .thenApplyAsync(image -> publish(key, image), publishExecutor)
                    .handle((published, failure) -> failure == null ? Outcome.published(published) : classify(url, failure));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Outcome.ABANDONED);
        }
        return outcome;
    }

    private FetchedImage fetch(String url) {
        try {
            return fetcher.fetch(URI.create(url));
        } catch (IOException e) {
            if (interruptedByShutdown(e)) {
                throw new CancellationException("fetch interrupted by shutdown");
            }
            throw new CompletionException(e);
        }
    }

    /**
     * A fetch that failed because its thread was interrupted (the service is closing) says nothing
     * about the image: it is abandoned, so a resume fetches it again. Timeouts are not interruptions.
     */
    private static boolean interruptedByShutdown(IOException e) {
        return Thread.currentThread().isInterrupted()
                || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
                    && !(e instanceof ImageFailureException));
    }

    private ProcessedImage encode(FetchedImage fetched) {
        try {
            return codec.process(fetched.toByteArray());
        } catch (ImageFailureException e) {
            throw new CompletionException(e);
        }
    }

    private URI publish(String key, ProcessedImage image) {
        try {
            return publisher.publish(key, ObjectContent.ofBytes(image.jpeg(), "image/jpeg"));
        } catch (IOException e) {
            throw new CompletionException(new StorageFailure(e));
        }
    }

    private static Outcome classify(String url, Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ImageFailureException classified) {
            return Outcome.failed(classified.error());
        }
        if (cause instanceof StorageFailure storage) {
            LOG.warn("Could not publish the image of {}: {}", Redaction.url(url), storage.getCause().toString());
            return Outcome.failed(ImageError.of(ErrorCode.STORAGE_ERROR, describe(storage.getCause())));
        }
        if (cause instanceof RejectedExecutionException || cause instanceof CancellationException) {
            return Outcome.ABANDONED;
        }
        if (cause instanceof IOException || cause instanceof UncheckedIOException) {
            return Outcome.failed(ImageError.of(ErrorCode.CONNECTION_ERROR, describe(cause)));
        }
        LOG.warn("Unexpected failure processing {}", Redaction.url(url), cause);
        return Outcome.failed(ImageError.of(ErrorCode.INTERNAL, describe(cause)));
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Marks a publisher failure apart from a fetcher's I/O failure. */
    private static final class StorageFailure extends RuntimeException {
        StorageFailure(IOException cause) {
            super(cause);
        }
    }
}
