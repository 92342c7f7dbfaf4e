package dev.imagebatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.memory.InMemoryImageFetcher;
import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.memory.InMemoryStatusStore;
import dev.imagebatch.spi.FetchedImage;
import dev.imagebatch.spi.ImageFetcher;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ImageProcessingServiceTest {

    private static final String A = "https://shop.example/a.jpg";
    private static final String B = "https://shop.example/b.png";
    private static final String GONE = "https://shop.example/gone.jpg";
    private static final String HTML = "https://shop.example/page.jpg";

    private final InMemoryStatusStore store = new InMemoryStatusStore();
    private final InMemoryResultPublisher publisher = new InMemoryResultPublisher();
    private ImageProcessingService service;

    @AfterEach
    void closeService() {
        if (service != null) {
            service.close();
        }
    }

    private ImageProcessingService service(ImageFetcher fetcher) {
        return service(fetcher, ProcessingSettings.defaults(), ProcessingListener.NONE);
    }

    private ImageProcessingService service(ImageFetcher fetcher, ProcessingSettings settings, ProcessingListener listener) {
        service = ImageProcessingService.builder()
                .statusStore(store)
                .resultPublisher(publisher)
                .imageFetcher(fetcher)
                .settings(settings)
                .listener(listener)
                .build();
        return service;
    }

    private static InMemoryImageFetcher shop() {
        return InMemoryImageFetcher.builder()
                .serve(A, TestImages.jpeg(200, 100, Color.RED, Color.BLUE), "image/jpeg")
                .serve(B, TestImages.png(64, 48, Color.GREEN), "image/png")
                .serve(HTML, "<html><body>not found</body></html>".getBytes(), "image/jpeg")
                .build();
    }

    @Test
    void processesEveryRowAndWritesAnAlignedOutputCsv() throws Exception {
        InMemoryImageFetcher fetcher = shop();
        service(fetcher);
        String id = service.submit(Csv.lines(
                "\uFEFF Serial_No ,product_name,input_image_urls,colour",
                "1,SKU1,\"" + A + ", " + B + "\",red",
                "2,\"SKU, two\",\"" + GONE + "," + A + "," + HTML + "\",blue"));

        RequestStatus done = service.await(id).get(30, TimeUnit.SECONDS);

        assertThat(done.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS);
        assertThat(done.totalImages()).isEqualTo(5);
        assertThat(done.succeeded()).isEqualTo(3);
        assertThat(done.failed()).isEqualTo(2);
        assertThat(done.outputCsvUrl()).contains(URI.create("memory:/" + ObjectKeys.outputCsv(id)));
        assertThat(fetcher.fetchCount(A)).as("a URL repeated in a request is fetched once").isEqualTo(1);

        Csv.Parsed output = Csv.parse(publisher.open(ObjectKeys.outputCsv(id)).orElseThrow());
        assertThat(output.header()).containsExactly("Serial_No", "product_name", "input_image_urls", "colour",
                "output_image_urls");
        CSVRecord first = output.records().get(0);
        assertThat(first.get("colour")).isEqualTo("red");
        String[] firstOutputs = first.get("output_image_urls").split(", ", -1);
        assertThat(firstOutputs).containsExactly("memory:/" + ObjectKeys.image(id, 1, 1, "jpg"),
                "memory:/" + ObjectKeys.image(id, 1, 2, "jpg"));
        CSVRecord second = output.records().get(1);
        assertThat(second.get("product_name")).isEqualTo("SKU, two");
        assertThat(second.get("output_image_urls").split(", ", -1))
                .containsExactly("", "memory:/" + ObjectKeys.image(id, 1, 1, "jpg"), "");

        BufferedImage halfA = TestImages.decode(publisher.get(ObjectKeys.image(id, 1, 1, "jpg")).orElseThrow().bytes());
        assertThat(halfA.getWidth()).isEqualTo(100);
        assertThat(halfA.getHeight()).isEqualTo(50);
        BufferedImage halfB = TestImages.decode(publisher.get(ObjectKeys.image(id, 1, 2, "jpg")).orElseThrow().bytes());
        assertThat(halfB.getWidth()).isEqualTo(32);
        assertThat(halfB.getHeight()).isEqualTo(24);

        List<ImageResult> images = service.images(id);
        assertThat(images).extracting(r -> r.row() + "/" + r.index() + " " + r.error().map(e -> e.code().name()).orElse("ok"))
                .containsExactly("1/1 ok", "1/2 ok", "2/1 HTTP_STATUS", "2/2 ok", "2/3 NOT_AN_IMAGE");
        assertThat(images.get(2).error().orElseThrow().httpStatus()).isEqualTo(404);
        assertThat(service.status(id)).contains(done);
    }

    @Test
    void aFullySuccessfulRequestIsCompleted() throws Exception {
        service(shop());
        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x," + A));
        RequestStatus done = service.await(id).get(30, TimeUnit.SECONDS);
        assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
        assertThat(done.webhook().state()).isEqualTo(WebhookDelivery.State.NOT_REQUESTED);
        assertThat(publisher.keys()).contains(ObjectKeys.inputCsv(id), ObjectKeys.outputCsv(id));
    }

    @Test
    void submitReturnsBeforeAnyImageIsFetched() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ImageFetcher blocked = blockedUntil(release);
        service(blocked);
        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x," + A));
        assertThat(service.status(id).orElseThrow().state()).isEqualTo(RequestState.PROCESSING);
        release.countDown();
        assertThat(service.await(id).get(30, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
    }

    @Test
    void anInvalidFileIsRejectedWithEveryProblemAndNothingIsStored() throws Exception {
        service(shop());
        assertThatThrownBy(() -> service.submit(Csv.lines(
                "serial_no,product_name,input_image_urls",
                "1,x,",
                "2,y,ftp://shop.example/a.jpg",
                "3,z," + A)))
                .isInstanceOfSatisfying(InvalidCsvException.class, e -> assertThat(e.problems())
                        .extracting(CsvProblem::line).containsExactly(2L, 3L));
        assertThat(publisher.keys()).isEmpty();
        assertThat(store.unfinished()).isEmpty();
    }

    @Test
    void aFileOverTheByteLimitIsRejectedWithoutReadingItAll() {
        service(shop(), ProcessingSettings.builder().maxCsvBytes(100).build(), ProcessingListener.NONE);
        byte[] big = ("serial_no,product_name,input_image_urls\r\n" + ("1,x," + A + "\r\n").repeat(50)).getBytes();
        assertThatThrownBy(() -> service.submit(new ByteArrayInputStream(big)))
                .isInstanceOfSatisfying(InvalidCsvException.class,
                        e -> assertThat(e.problems().get(0).message()).contains("100 bytes"));
        assertThat(publisher.keys()).isEmpty();
    }

    @Test
    void cancellingRecordsUnstartedImagesAsCancelled() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ImageFetcher slow = url -> {
            firstStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FetchedImage.of(TestImages.jpeg(8, 8, Color.RED, Color.RED), "image/jpeg", url);
        };
        service(slow, ProcessingSettings.builder().fetchConcurrency(1).workers(1).build(), ProcessingListener.NONE);
        StringBuilder csv = new StringBuilder("serial_no,product_name,input_image_urls\r\n");
        for (int row = 1; row <= 20; row++) {
            csv.append(row).append(",p,https://shop.example/").append(row).append(".jpg\r\n");
        }
        String id = service.submit(new ByteArrayInputStream(csv.toString().getBytes()));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(service.cancel(id)).isTrue();
        release.countDown();

        RequestStatus done = service.await(id).get(30, TimeUnit.SECONDS);
        assertThat(done.state()).isEqualTo(RequestState.CANCELLED);
        assertThat(done.outputCsvUrl()).isEmpty();
        assertThat(done.done()).isEqualTo(20);
        assertThat(service.images(id)).filteredOn(r -> r.error().map(e -> e.code() == ErrorCode.CANCELLED).orElse(false))
                .hasSizeGreaterThanOrEqualTo(20 - 4);
        assertThat(publisher.keys()).doesNotContain(ObjectKeys.outputCsv(id));
        assertThat(service.cancel(id)).as("a finished request cannot be cancelled").isFalse();
    }

    @Test
    void refusesSubmissionsBeyondMaxActiveRequestsWithoutStoringAnything() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ImageFetcher blocked = blockedUntil(release);
        service(blocked, ProcessingSettings.builder().maxActiveRequests(1).build(), ProcessingListener.NONE);
        String first = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x," + A));
        int keysBefore = publisher.keys().size();
        assertThatThrownBy(() -> service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,y," + B)))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                .hasMessageContaining("at most 1");
        assertThat(publisher.keys()).hasSize(keysBefore);
        assertThat(store.unfinished()).containsExactly(first);
        release.countDown();
        service.await(first).get(30, TimeUnit.SECONDS);
        String second = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,y," + B));
        assertThat(service.await(second).get(30, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
    }

    @Test
    void imagesInFlightAreBoundedAcrossAllRequestsTogether() throws Exception {
        AtomicInteger current = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ImageFetcher counting = url -> {
            peak.accumulateAndGet(current.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                current.decrementAndGet();
            }
            return FetchedImage.of(TestImages.jpeg(8, 8, Color.RED, Color.RED), "image/jpeg", url);
        };
        java.util.concurrent.ExecutorService wide = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            service = ImageProcessingService.builder().statusStore(store).resultPublisher(publisher)
                    .imageFetcher(counting).fetchExecutor(wide)
                    .settings(ProcessingSettings.builder().fetchConcurrency(2).workers(1).build())
                    .build();
            List<String> ids = new java.util.ArrayList<>();
            for (int request = 0; request < 3; request++) {
                StringBuilder csv = new StringBuilder("serial_no,product_name,input_image_urls\r\n");
                for (int row = 1; row <= 15; row++) {
                    csv.append(row).append(",p,https://shop.example/").append(request).append('-').append(row).append(".jpg\r\n");
                }
                ids.add(service.submit(new ByteArrayInputStream(csv.toString().getBytes())));
            }
            for (String id : ids) {
                assertThat(service.await(id).get(60, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
            }
        } finally {
            wide.shutdownNow();
        }
        assertThat(peak.get()).as("fetchConcurrency + 2 x workers, for all requests together").isLessThanOrEqualTo(4);
    }

    @Test
    void aThrowingListenerDoesNotDisturbProcessing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ProcessingListener broken = new ProcessingListener() {
            @Override
            public void onImageFinished(String requestId, ImageResult result) {
                calls.incrementAndGet();
                throw new IllegalStateException("host bug");
            }

            @Override
            public void onRequestFinished(RequestStatus status) {
                throw new IllegalStateException("host bug");
            }
        };
        service(shop(), ProcessingSettings.defaults(), broken);
        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x,\"" + A + "," + B + "\""));
        assertThat(service.await(id).get(30, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
        assertThat(calls.get()).isEqualTo(2);
    }

    /** A fetcher serving the image of every row {@code 1..rows} of {@link #leaveUnfinishedAfterFourImages}. */
    private static InMemoryImageFetcher servingEveryRow(int rows) {
        InMemoryImageFetcher.Builder all = InMemoryImageFetcher.builder();
        for (int row = 1; row <= rows; row++) {
            all.serve("https://shop.example/" + row + ".jpg", TestImages.jpeg(16, 16, Color.RED, Color.BLUE), "image/jpeg");
        }
        return all.build();
    }

    /** Submits {@code rows} one-image rows to a service that stalls after four fetches and closes it. */
    private String leaveUnfinishedAfterFourImages(int rows) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger served = new AtomicInteger();
        ImageFetcher stallsAfterFour = url -> {
            if (served.incrementAndGet() > 4) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("stopped");
                }
            }
            return FetchedImage.of(TestImages.jpeg(16, 16, Color.RED, Color.BLUE), "image/jpeg", url);
        };
        ProcessingSettings oneAtATime = ProcessingSettings.builder().fetchConcurrency(1).workers(1)
                .progressBatchSize(1).shutdownTimeout(Duration.ofMillis(200)).build();
        ImageProcessingService first = service(stallsAfterFour, oneAtATime, ProcessingListener.NONE);
        StringBuilder csv = new StringBuilder("serial_no,product_name,input_image_urls\r\n");
        for (int row = 1; row <= rows; row++) {
            csv.append(row).append(",p,https://shop.example/").append(row).append(".jpg\r\n");
        }
        String id = first.submit(new ByteArrayInputStream(csv.toString().getBytes()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (first.images(id).size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        first.close();
        assertThat(store.unfinished()).containsExactly(id);
        return id;
    }

    @Test
    void resumesAnInterruptedRequestWithoutRefetchingFinishedImages() throws Exception {
        int rows = 12;
        String id = leaveUnfinishedAfterFourImages(rows);
        List<ImageResult> before = store.images(id);
        assertThat(before).hasSize(4).allMatch(ImageResult::succeeded);

        InMemoryImageFetcher second = servingEveryRow(rows);
        service = null;
        try (ImageProcessingService resumed = ImageProcessingService.builder()
                .statusStore(store).resultPublisher(publisher).imageFetcher(second).build()) {
            assertThat(resumed.resumeUnfinished()).containsExactly(id);
            RequestStatus done = resumed.await(id).get(30, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
            assertThat(done.succeeded()).isEqualTo(rows);
        }
        for (ImageResult finished : before) {
            assertThat(second.fetchCount(finished.inputUrl())).as("refetched %s", finished.inputUrl()).isZero();
        }
        assertThat(second.totalFetches()).isEqualTo(rows - 4);
        Csv.Parsed output = Csv.parse(publisher.open(ObjectKeys.outputCsv(id)).orElseThrow());
        assertThat(output.records()).hasSize(rows).allSatisfy(r -> assertThat(r.get("output_image_urls")).startsWith("memory:/images/"));
    }

    @Test
    void resumeAttemptsStorageErrorsAgainButKeepsOtherFailures() throws Exception {
        int rows = 6;
        String id = leaveUnfinishedAfterFourImages(rows);
        store.putImages(id, List.of(
                ImageResult.failure(5, 1, "https://shop.example/5.jpg", ImageError.of(ErrorCode.STORAGE_ERROR, "disk full")),
                ImageResult.failure(6, 1, "https://shop.example/6.jpg", ImageError.of(ErrorCode.DECODE_ERROR, "not a JPEG"))));

        InMemoryImageFetcher second = servingEveryRow(rows);
        service = null;
        try (ImageProcessingService resumed = ImageProcessingService.builder()
                .statusStore(store).resultPublisher(publisher).imageFetcher(second).build()) {
            assertThat(resumed.resumeUnfinished()).containsExactly(id);
            RequestStatus done = resumed.await(id).get(30, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS);
            assertThat(done.succeeded()).isEqualTo(5);
            assertThat(done.failed()).isEqualTo(1);
        }
        assertThat(second.fetchCount("https://shop.example/5.jpg")).as("storage error attempted again").isEqualTo(1);
        assertThat(second.fetchCount("https://shop.example/6.jpg")).as("an image's own failure is final").isZero();
        assertThat(store.images(id)).hasSize(rows).filteredOn(r -> !r.succeeded())
                .singleElement().satisfies(r -> assertThat(r.row()).isEqualTo(6));
    }

    @Test
    void awaitOfAnUnknownRequestFails() {
        service(shop());
        assertThat(service.await("no-such-id")).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeIsIdempotentStopsIntakeAndLeavesNoThreads() throws Exception {
        service(shop());
        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x," + A));
        service.await(id).get(30, TimeUnit.SECONDS);
        service.close();
        service.close();
        assertThatThrownBy(() -> service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x," + A)))
                .isInstanceOf(IllegalStateException.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (liveLibraryThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(liveLibraryThreads()).isZero();
    }

    @Test
    void closingAServiceWithItsOwnFetcherReleasesEveryThreadItStarted() throws Exception {
        service = ImageProcessingService.builder().statusStore(store).resultPublisher(publisher).build();
        String id = service.submit(Csv.lines("serial_no,product_name,input_image_urls", "1,x,http://127.0.0.1:9/a.jpg"));
        RequestStatus done = service.await(id).get(30, TimeUnit.SECONDS);
        assertThat(service.images(id).get(0).error().orElseThrow().code()).isEqualTo(ErrorCode.BLOCKED_ADDRESS);
        assertThat(done.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS);
        service.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (liveLibraryThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(liveLibraryThreads()).isZero();
    }

    @Test
    void builderRefusesMissingPartsAndSettingsGivenTwice() {
        assertThatThrownBy(() -> ImageProcessingService.builder().statusStore(store).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("resultPublisher");
        assertThatThrownBy(() -> ImageProcessingService.builder().statusStore(store).statusStore(store))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    }

    /** A fetcher whose every fetch waits for {@code release}, then serves a small JPEG. */
    private static ImageFetcher blockedUntil(CountDownLatch release) {
        return url -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FetchedImage.of(TestImages.jpeg(8, 8, Color.RED, Color.RED), "image/jpeg", url);
        };
    }

    static long liveLibraryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("imagebatch-"))
                .count();
    }
}
