package dev.imagebatch.reliability;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.SubmitOptions;
import dev.imagebatch.WebhookDelivery;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.spi.FetchedImage;
import dev.imagebatch.spi.ImageFetcher;
import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.testing.ForwardingStatusStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The child side of {@link KillScenario}: runs a service on the stores its caller wired, with the
 * SPIs and the worker executor wrapped so that the k-th passage through one {@link KillPoint}
 * prints {@code KILLPOINT <point> <what>} on stdout and blocks that thread until the parent kills
 * the process. Everything else keeps running, as it would in a real process at that instant.
 *
 * <p>Protocol on stdout: {@code ACCEPTED <id>} per submitted request (all are submitted before any
 * image is fetched), then {@code KILLPOINT ...}; {@code NOT_KILLED} if every request finished
 * without reaching the point. The process exits by itself when its stdin closes.
 *
 * <p>Arguments (after the store wiring's own): point, k, webhook URL, input CSV paths.
 */
public final class KillPointChild {

    private final KillPoint point;
    private final int target;
    private final AtomicInteger passages = new AtomicInteger();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final CountDownLatch submitted = new CountDownLatch(1);

    private KillPointChild(KillPoint point, int target) {
        this.point = point;
        this.target = target;
    }

    /** Runs the child over {@code store} and {@code publisher} with the arguments left after the store wiring's. */
    public static void run(StatusStore store, ResultPublisher publisher, String[] args) throws Exception {
        KillPointChild child = new KillPointChild(KillPoint.valueOf(args[0]), Integer.parseInt(args[1]));
        URI webhook = URI.create(args[2]);
        AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.0/8");
        ExecutorService workers = Executors.newSingleThreadExecutor();
        OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().addressPolicy(loopback).maxAttempts(1).build();
        ImageProcessingService service = ImageProcessingService.builder()
                .statusStore(child.new Store(store))
                .resultPublisher(child.new Publisher(publisher))
                .imageFetcher(child.new Fetcher(fetcher))
                .workerExecutor(child.encoding(workers))
                .listener(child.new Listener())
                .webhook(WebhookSettings.builder().addressPolicy(loopback)
                        .initialBackoff(Duration.ofMillis(100)).timeout(Duration.ofSeconds(5)).build())
                .settings(ProcessingSettings.builder().fetchConcurrency(3).workers(1).progressBatchSize(1).build())
                .build();
        List<CompletableFuture<RequestStatus>> done = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String id = service.submit(Path.of(args[i]), SubmitOptions.webhook(webhook));
            say("ACCEPTED " + id);
            done.add(service.await(id));
        }
        child.submitted.countDown();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Thread.sleep(2_000); // room for webhooks and their kill points
        say("NOT_KILLED");
        while (System.in.read() != -1) {
            // Wait to be killed; end of input means the parent is gone.
        }
        System.exit(3);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** At the target passage through {@code at}: tells the parent and blocks this thread for good. */
    private void pass(KillPoint at, String what) {
        if (at != point || passages.incrementAndGet() != target) {
            return;
        }
        say("KILLPOINT " + at + " " + what);
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Executor encoding(ExecutorService workers) {
        return task -> workers.execute(() -> {
            pass(KillPoint.ENCODING, "worker task");
            task.run();
        });
    }

    private final class Fetcher implements ImageFetcher {
        private final ImageFetcher delegate;

        Fetcher(ImageFetcher delegate) {
            this.delegate = delegate;
        }

        @Override
        public FetchedImage fetch(URI url) throws IOException {
            try {
                submitted.await(); // every request is accepted before the first image moves
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
            pass(KillPoint.FETCH_STARTED, url.toString());
            FetchedImage image = delegate.fetch(url);
            pass(KillPoint.FETCH_DONE, url.toString());
            return image;
        }
    }

    private final class Publisher implements ResultPublisher {
        private final ResultPublisher delegate;

        Publisher(ResultPublisher delegate) {
            this.delegate = delegate;
        }

        @Override
        public URI publish(String key, ObjectContent content) throws IOException {
            boolean image = key.startsWith("images/");
            boolean csv = key.startsWith("csv/");
            if (image) {
                pass(KillPoint.PUBLISHING, key);
            } else if (csv) {
                pass(KillPoint.CSV_SPOOLED, key);
            }
            URI url = delegate.publish(key, content);
            if (image) {
                pass(KillPoint.PUBLISHED, key);
            } else if (csv) {
                pass(KillPoint.CSV_PUBLISHED, key);
            }
            return url;
        }

        @Override
        public Optional<InputStream> open(String key) throws IOException {
            return delegate.open(key);
        }
    }

    private final class Store extends ForwardingStatusStore {

        Store(StatusStore delegate) {
            super(delegate);
        }

        @Override
        public RequestRecord update(String requestId, UnaryOperator<RequestRecord> change) throws IOException {
            RequestRecord stored = super.update(requestId, change);
            RequestStatus status = stored.status();
            if (status.state() != RequestState.PROCESSING && status.webhook().attempts() == 0
                    && finished.add(requestId)) {
                pass(KillPoint.FINISHED, requestId);
            }
            return stored;
        }

        @Override
        public void putImages(String requestId, Collection<ImageResult> results) throws IOException {
            super.putImages(requestId, results);
            for (ImageResult result : results) {
                pass(KillPoint.RESULT_RECORDED, requestId + " " + result.row() + "/" + result.index());
            }
        }
    }

    private final class Listener implements ProcessingListener {
        @Override
        public void onWebhookAttempt(String requestId, WebhookDelivery delivery) {
            if (delivery.state() == WebhookDelivery.State.PENDING) {
                pass(KillPoint.WEBHOOK_RETRYING, requestId + " attempt " + delivery.attempts());
            }
        }
    }
}
