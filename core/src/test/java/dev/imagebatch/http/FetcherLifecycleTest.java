package dev.imagebatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FetcherLifecycleTest {

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestNet.server();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void closingAFetcherThatOwnsItsClientIsIdempotentAndLeavesNoThreads() throws Exception {
        OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder()
                .addressPolicy(TestNet.LOOPBACK_ALLOWED)
                .readTimeout(Duration.ofMillis(500))
                .build();
        server.enqueue(new MockResponse.Builder().body("one").build());
        server.enqueue(new MockResponse.Builder().body("two").build());
        fetcher.fetch(URI.create(TestNet.url(server, "/1")));
        fetcher.fetch(URI.create(TestNet.url(server, "/2")));
        assertThat(threadsNamed("imagebatch-fetch")).isNotEmpty();

        fetcher.close();
        fetcher.close();

        awaitNoThreads("imagebatch-fetch");
        awaitNoThreads("OkHttp Dispatcher");
        // OkHttp's JVM-wide TaskRunner keeps idle daemon threads for 60 s; shared with every other
        // OkHttp client, it cannot be shut down by one library. None of them may still be working.
        assertThat(busyThreadsNamed("OkHttp")).isEmpty();
        assertThatThrownBy(() -> fetcher.fetch(URI.create(TestNet.url(server, "/3"))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHostSuppliedClientIsNotShutDown() throws Exception {
        OkHttpClient host = new OkHttpClient();
        try {
            OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().client(host).addressPolicy(TestNet.LOOPBACK_ALLOWED).build();
            server.enqueue(new MockResponse.Builder().body("image").build());
            fetcher.fetch(URI.create(TestNet.url(server, "/a")));
            assertThat(host.connectionPool().connectionCount()).as("the fetcher shares the host's pool").isEqualTo(1);

            fetcher.close();

            assertThat(host.dispatcher().executorService().isShutdown()).isFalse();
            assertThat(host.connectionPool().connectionCount()).isEqualTo(1);
            server.enqueue(new MockResponse.Builder().body("still works").build());
            try (Response response = host.newCall(new Request.Builder().url(TestNet.url(server, "/b")).build()).execute()) {
                assertThat(response.body().string()).isEqualTo("still works");
            }
        } finally {
            TestNet.shutdown(host);
        }
    }

    @Test
    void interruptingTheCallingThreadStopsTheFetchPromptly() throws Exception {
        server.enqueue(new MockResponse.Builder().body("late").headersDelay(10, TimeUnit.SECONDS).build());
        OkHttpClient base = TestNet.baseClient(Map.of(), new TestNet.ConnectRecorder());
        try (OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().client(base).addressPolicy(TestNet.LOOPBACK_ALLOWED)
                .readTimeout(Duration.ofSeconds(20)).callTimeout(Duration.ofSeconds(30)).build()) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean interruptKept = new AtomicBoolean();
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                started.countDown();
                try {
                    fetcher.fetch(URI.create(TestNet.url(server, "/slow")));
                    thrown.complete(null);
                } catch (Throwable t) {
                    interruptKept.set(Thread.currentThread().isInterrupted());
                    thrown.complete(t);
                }
            });
            caller.start();
            started.await();
            server.takeRequest(5, TimeUnit.SECONDS);

            long interruptedAt = System.nanoTime();
            caller.interrupt();
            Throwable failure = thrown.get(5, TimeUnit.SECONDS);

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interruptedAt)).isLessThan(1000);
            assertThat(failure).isInstanceOf(InterruptedIOException.class);
            assertThat(interruptKept).isTrue();
            caller.join(1000);
            awaitNoThreadsBusyIn(base);
        } finally {
            TestNet.shutdown(base);
        }
    }

    @Test
    void anAlreadyInterruptedThreadDoesNotFetch() throws Exception {
        try (OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().addressPolicy(TestNet.LOOPBACK_ALLOWED).build()) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> fetcher.fetch(URI.create(TestNet.url(server, "/x"))))
                        .isInstanceOf(InterruptedIOException.class);
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void closingWhileFetchingEndsTheFetch() throws Exception {
        server.enqueue(new MockResponse.Builder().body("late").headersDelay(10, TimeUnit.SECONDS).build());
        OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().addressPolicy(TestNet.LOOPBACK_ALLOWED)
                .readTimeout(Duration.ofSeconds(20)).callTimeout(Duration.ofSeconds(30)).build();
        CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> {
            try {
                fetcher.fetch(URI.create(TestNet.url(server, "/slow")));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        server.takeRequest(5, TimeUnit.SECONDS);
        fetcher.close();
        assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    private static void awaitNoThreadsBusyIn(OkHttpClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.dispatcher().runningCallsCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(client.dispatcher().runningCallsCount()).isZero();
    }

    private static void awaitNoThreads(String namePart) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!threadsNamed(namePart).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(threadsNamed(namePart)).as("threads named *" + namePart + "*").isEmpty();
    }

    /** Threads of that name that are not idle in a thread pool waiting for work. */
    private static List<String> busyThreadsNamed(String namePart) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> entry.getKey().isAlive() && entry.getKey().getName().contains(namePart))
                .filter(entry -> java.util.Arrays.stream(entry.getValue())
                        .noneMatch(frame -> frame.getMethodName().equals("getTask")
                                && frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")))
                .map(entry -> entry.getKey().getName())
                .collect(Collectors.toList());
    }

    private static List<String> threadsNamed(String namePart) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains(namePart))
                .collect(Collectors.toList());
    }
}
