package dev.imagebatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.RequestState;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.SubmitOptions;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.memory.InMemoryStatusStore;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** After {@code close()}, a service has left no thread, no open file and no socket behind. */
class CloseReleasesEverythingTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void closeLeavesNoThreadsFilesOrSockets() throws Exception {
        runOnce(); // loads classes and opens the jars they come from, which stay open for good
        long fdsBefore = openFileDescriptors();
        runOnce();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((libraryThreads() > 0 || openFileDescriptors() > fdsBefore) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(libraryThreads()).isZero();
        assertThat(openFileDescriptors()).isLessThanOrEqualTo(fdsBefore);
    }

    /** A service with the default fetcher (its own OkHttp client) processes images and sends a webhook, then closes. */
    private static void runOnce() throws Exception {
        byte[] jpeg = TestImages.jpeg(32, 32, Color.RED, Color.GREEN);
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public @NotNull MockResponse dispatch(@NotNull RecordedRequest request) {
                    return request.getUrl().encodedPath().startsWith("/hook")
                            ? new MockResponse.Builder().code(204).build()
                            : new MockResponse.Builder().code(200).setHeader("Content-Type", "image/jpeg")
                                    .body(new Buffer().write(jpeg)).build();
                }
            });
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.0/8");
            OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().addressPolicy(loopback).build();
            ImageProcessingService service = ImageProcessingService.builder()
                    .statusStore(new InMemoryStatusStore())
                    .resultPublisher(new InMemoryResultPublisher())
                    .imageFetcher(fetcher)
                    .webhook(WebhookSettings.builder().addressPolicy(loopback).build())
                    .build();
            String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls",
                    "1,a,\"" + server.url("/a.jpg") + "," + server.url("/b.jpg") + "\""),
                    SubmitOptions.webhook(URI.create(server.url("/hook").toString())));
            assertThat(service.await(id).get(30, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.getRequestCount() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            service.close();
            fetcher.close();
        }
    }

    private static long libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("imagebatch-") || t.getName().contains("OkHttp Dispatcher"))
                .count();
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
