package dev.imagebatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.RequestState;
import dev.imagebatch.SubmitOptions;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * Shows that a service on some storage, once closed together with what its host owns, leaves no
 * thread, open file or socket behind: a service processes images from a loopback server and sends
 * a webhook, then everything is closed; done once to load classes, then measured with
 * {@link Leftovers}.
 */
public final class CloseCheck {

    /** Storage as a host wires it; closing it releases what the host owns (a store's lock, a client). */
    public interface Storage extends AutoCloseable {
        StatusStore store();

        ResultPublisher publisher();

        /** {@code store} and {@code publisher}, with {@code owned} closed on close. */
        static Storage of(StatusStore store, ResultPublisher publisher, AutoCloseable owned) {
            return new Storage() {
                @Override
                public StatusStore store() {
                    return store;
                }

                @Override
                public ResultPublisher publisher() {
                    return publisher;
                }

                @Override
                public void close() throws Exception {
                    owned.close();
                }
            };
        }
    }

    /** Opens a fresh {@link Storage}. */
    @FunctionalInterface
    public interface Opener {
        Storage open() throws Exception;
    }

    private CloseCheck() {
    }

    /** Runs a service on storage from {@code opener} twice; returns what the second run left open. */
    public static Leftovers.Found run(Opener opener, Predicate<Thread> ignored) throws Exception {
        runOnce(opener);
        Leftovers.Snapshot before = Leftovers.snapshot();
        runOnce(opener);
        Leftovers.Found found = Leftovers.since(before, ignored);
        System.out.printf("after close: %s (baseline %d threads, %d file descriptors of which %d sockets)%n",
                found, before.threads().size(), before.files(), before.sockets());
        return found;
    }

    private static void runOnce(Opener opener) throws Exception {
        byte[] jpeg = TestImages.jpeg(32, 32, Color.RED, Color.GREEN);
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return request.getUrl().encodedPath().startsWith("/hook")
                            ? new MockResponse.Builder().code(204).build()
                            : new MockResponse.Builder().code(200).setHeader("Content-Type", "image/jpeg")
                                    .body(new Buffer().write(jpeg)).build();
                }
            });
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.0/8");
            try (Storage storage = opener.open();
                 OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().addressPolicy(loopback).build();
                 ImageProcessingService service = ImageProcessingService.builder()
                         .statusStore(storage.store())
                         .resultPublisher(storage.publisher())
                         .imageFetcher(fetcher)
                         .webhook(WebhookSettings.builder().addressPolicy(loopback).build())
                         .build()) {
                String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls",
                                "1,a,\"" + server.url("/a.jpg") + "," + server.url("/b.jpg") + "\""),
                        SubmitOptions.webhook(URI.create(server.url("/hook").toString())));
                assertThat(service.await(id).get(30, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (server.getRequestCount() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
        }
    }
}
