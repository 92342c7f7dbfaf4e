package dev.imagebatch.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.memory.InMemoryImageFetcher;
import dev.imagebatch.spi.FetchedImage;
import dev.imagebatch.spi.ImageFetcher;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * File storage that fails in the middle of a request: the disk fills up or the file system turns
 * read-only. Two ways to cause it: a wrapper that refuses every write with the operating system's
 * reason (always runs), and a real tiny tmpfs mounted by the test, filled up or remounted
 * read-only (runs where the test may mount, as root on Linux; skipped elsewhere).
 *
 * <p>Each time: the service keeps answering status queries, a new submission is refused with an
 * {@link IOException} (nothing is accepted that cannot be stored), the run ends instead of hanging,
 * nothing stored before the fault is lost, images that could not be written are recorded as
 * {@code STORAGE_ERROR} where the status store can still write, and once the fault clears
 * {@code resumeUnfinished()} completes the request with every image exactly once and no temporary
 * file left. A resume attempts images recorded as {@code STORAGE_ERROR} again (the error was the
 * storage's, not the image's), so the resumed request completes without errors.
 */
class FileStorageFaultsTest {

    private static final int ROWS = 6;
    private static final int IMAGES = 2 * ROWS;
    /** Images that pass before the fetcher holds the rest until the fault is in place. */
    private static final int BEFORE_FAULT = 4;

    @TempDir
    Path temp;

    private Path root;
    private Mount mount;
    private GatedFetcher fetcher;

    @BeforeEach
    void images() {
        InMemoryImageFetcher.Builder served = InMemoryImageFetcher.builder();
        for (int n = 1; n <= IMAGES; n++) {
            served.serve(url(n), TestImages.jpeg(20 + 2 * n, 16, Color.RED, Color.BLUE), "image/jpeg");
        }
        fetcher = new GatedFetcher(served.build(), BEFORE_FAULT);
        root = temp.resolve("storage");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            mount.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {WriteFaults.DISK_FULL, WriteFaults.READ_ONLY})
    void bothStoresRefuseWritesMidRequestThenTheRequestIsResumed(String reason) throws Exception {
        WriteFaults faults = new WriteFaults();
        Files.createDirectories(root);
        runFaultThenResume(faults::wrap, faults::wrap, () -> faults.fail(reason), faults::heal);
        assertThat(faults.refused()).as("writes refused").isPositive();
    }

    @Test
    void realTmpfsFillsUpMidRequestThenTheRequestIsResumed() throws Exception {
        mount = Mount.tmpfs(root, "4m");
        Path filler = temp.resolve("storage").resolve("filler");
        runFaultThenResume(s -> s, p -> p, () -> fill(filler), () -> Files.delete(filler));
        // Appends to the results file can still fit in its last page when the disk is full, so
        // some images may have been recorded as STORAGE_ERROR; the helper accepts exactly that.
    }

    @Test
    void imageWritesRefusedWhileTheStatusStoreWorksAreRecordedAsStorageErrors() throws Exception {
        WriteFaults faults = new WriteFaults();
        Files.createDirectories(root);
        RequestStatus end = runImageWriteFault(faults.wrap(FileResultPublisher.create(root)),
                () -> faults.fail(WriteFaults.DISK_FULL), faults::heal, WriteFaults.DISK_FULL);
        // The output CSV cannot be written either: the request fails with the reason.
        assertThat(end.state()).isEqualTo(RequestState.FAILED);
        assertThat(end.failureReason().orElseThrow()).contains(WriteFaults.DISK_FULL);
    }

    @Test
    void realImagesDirectoryRemountedReadOnlyMidRequestGivesStorageErrors() throws Exception {
        // Only the images directory is a mount of its own: the status store keeps a lock file open
        // for writing, which would stop a read-only remount of its file system.
        mount = Mount.tmpfs(root.resolve("images"), "4m");
        RequestStatus end = runImageWriteFault(FileResultPublisher.create(root),
                () -> mount.remount("ro"), () -> mount.remount("rw"), WriteFaults.READ_ONLY);
        assertThat(end.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS);
        assertThat(end.outputCsvUrl()).isPresent();
    }

    /**
     * Image writes fail while the status store works: every image is accounted for, the late ones
     * as STORAGE_ERROR naming the key and the system's reason; status queries answer throughout;
     * once the fault clears a new request completes.
     */
    private RequestStatus runImageWriteFault(ResultPublisher publisher, Action breakStorage, Action repairStorage,
                                             String reason) throws Exception {
        try (FileStatusStore store = FileStatusStore.open(root);
             ImageProcessingService service = service(store, publisher)) {
            String id = service.submit(csv());
            awaitResults(store, id, BEFORE_FAULT);
            breakStorage.run();
            fetcher.open();

            RequestStatus end = service.await(id).get(60, TimeUnit.SECONDS);
            List<ImageResult> results = service.images(id);
            assertThat(results).hasSize(IMAGES);
            assertThat(results).filteredOn(r -> !r.succeeded()).isNotEmpty()
                    .allSatisfy(r -> assertStorageError(r, id, reason));
            List<ImageResult> stored = results.stream().filter(ImageResult::succeeded).toList();
            assertThat(stored).hasSizeGreaterThanOrEqualTo(BEFORE_FAULT);
            assertImagesStored(id, stored);
            assertThat(service.status(id)).contains(end);

            repairStorage.run();
            String next = service.submit(csv());
            assertThat(service.await(next).get(60, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
            return end;
        }
    }

    private static void assertStorageError(ImageResult result, String id, String reason) {
        assertThat(result.error().orElseThrow().code()).isEqualTo(ErrorCode.STORAGE_ERROR);
        assertThat(result.error().orElseThrow().message()).contains("images/" + id + "/", reason);
    }

    private interface Action {
        void run() throws Exception;
    }

    private void runFaultThenResume(java.util.function.UnaryOperator<StatusStore> storeFaults,
                                    java.util.function.UnaryOperator<ResultPublisher> publisherFaults,
                                    Action breakStorage, Action repairStorage) throws Exception {
        String id;
        List<ImageResult> before;
        try (FileStatusStore store = FileStatusStore.open(root);
             ImageProcessingService service = service(storeFaults.apply(store),
                     publisherFaults.apply(FileResultPublisher.create(root)))) {
            id = service.submit(csv());
            CompletableFuture<RequestStatus> run = service.await(id);
            awaitResults(store, id, BEFORE_FAULT);

            breakStorage.run();
            fetcher.open(); // the rest of the request now runs into the fault

            // The service keeps answering: reads work on a full or read-only file system.
            assertThat(service.status(id)).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(RequestState.PROCESSING));
            assertThatThrownBy(() -> service.submit(csv())).isInstanceOf(IOException.class);
            // The run ends instead of hanging; its end cannot be written, so the stored state stays
            // PROCESSING and the request resumable.
            assertThat(run.get(60, TimeUnit.SECONDS).state()).isEqualTo(RequestState.FAILED);
            assertThat(service.status(id)).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(RequestState.PROCESSING));

            repairStorage.run();
            before = store.images(id);
            List<ImageResult> storedBefore = before.stream().filter(ImageResult::succeeded).toList();
            assertThat(storedBefore).hasSizeGreaterThanOrEqualTo(BEFORE_FAULT);
            assertImagesStored(id, storedBefore);
            for (ImageResult failed : before) {
                if (!failed.succeeded()) {
                    assertStorageError(failed, id, WriteFaults.DISK_FULL);
                }
            }
        }

        int fetchesBefore = fetcher.fetches();
        try (FileStatusStore store = FileStatusStore.open(root);
             ImageProcessingService service = service(store, FileResultPublisher.create(root))) {
            assertThat(service.resumeUnfinished()).containsExactly(id);
            RequestStatus done = service.await(id).get(60, TimeUnit.SECONDS);
            // Images recorded as STORAGE_ERROR are attempted again: once the storage is repaired, all succeed.
            assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
            assertThat(done.succeeded()).isEqualTo(IMAGES);
            assertThat(done.failed()).isZero();
            List<ImageResult> all = service.images(id);
            assertThat(all).hasSize(IMAGES).extracting(r -> r.row() + "/" + r.index()).doesNotHaveDuplicates();
            List<ImageResult> stored = all.stream().filter(ImageResult::succeeded).toList();
            assertThat(stored).hasSize(IMAGES);
            assertImagesStored(id, stored);
            long storedBeforeCount = before.stream().filter(ImageResult::succeeded).count();
            assertThat(fetcher.fetches() - fetchesBefore)
                    .as("only images without a stored image (no result, or a storage error) are fetched again")
                    .isEqualTo(IMAGES - storedBeforeCount);
            assertEveryImageOnceInTheOutput(done, stored.size());
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.endsWith(AtomicFiles.TEMP_SUFFIX));
        }
    }

    private ImageProcessingService service(StatusStore store, ResultPublisher publisher) {
        return ImageProcessingService.builder()
                .statusStore(store)
                .resultPublisher(publisher)
                .imageFetcher(fetcher)
                .settings(ProcessingSettings.builder().fetchConcurrency(2).workers(1).progressBatchSize(1).build())
                .build();
    }

    private static String url(int n) {
        return "https://shop.example/img/" + n + ".jpg";
    }

    private static InputStream csv() {
        List<String> lines = new ArrayList<>();
        lines.add("serial_no,product_name,input_image_urls");
        for (int row = 1; row <= ROWS; row++) {
            lines.add(row + ",P" + row + ",\"" + url(2 * row - 1) + "," + url(2 * row) + "\"");
        }
        return Csv.lines(lines.toArray(String[]::new));
    }

    private void assertImagesStored(String id, List<ImageResult> results) throws IOException {
        for (ImageResult result : results) {
            Path file = root.resolve(ObjectKeys.image(id, result.row(), result.index(), "jpg"));
            int n = 2 * (result.row() - 1) + result.index();
            assertThat(TestImages.decode(Files.readAllBytes(file)).getWidth()).as(file.toString()).isEqualTo((20 + 2 * n) / 2);
        }
    }

    private static void assertEveryImageOnceInTheOutput(RequestStatus done, int stored) throws IOException {
        List<CSVRecord> rows;
        try (InputStream in = Files.newInputStream(Path.of(done.outputCsvUrl().orElseThrow()))) {
            rows = Csv.parse(in).records();
        }
        assertThat(rows).hasSize(ROWS);
        List<String> outputs = rows.stream().flatMap(r -> Stream.of(r.get("output_image_urls").split(", ")))
                .filter(u -> !u.isEmpty()).toList();
        assertThat(outputs).hasSize(stored).doesNotHaveDuplicates().allMatch(u -> u.startsWith("file:"));
    }

    private static void awaitResults(FileStatusStore store, String id, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (store.images(id).size() < count) {
            assertThat(System.nanoTime()).as("results recorded in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Writes until the file system is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).contains(WriteFaults.DISK_FULL);
        }
    }

    /** Lets the first images through, then holds every fetch until {@link #open()}. */
    private static final class GatedFetcher implements ImageFetcher {
        private final ImageFetcher delegate;
        private final int free;
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger fetches = new AtomicInteger();
        private final CountDownLatch gate = new CountDownLatch(1);

        GatedFetcher(ImageFetcher delegate, int free) {
            this.delegate = delegate;
            this.free = free;
        }

        void open() {
            gate.countDown();
        }

        int fetches() {
            return fetches.get();
        }

        @Override
        public FetchedImage fetch(URI url) throws IOException {
            if (started.incrementAndGet() > free) {
                try {
                    if (!gate.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted at the gate");
                }
            }
            fetches.incrementAndGet();
            return delegate.fetch(url);
        }
    }

    /** A tmpfs mounted by the test; only where the test may mount (root on Linux). */
    private static final class Mount implements AutoCloseable {
        private final Path point;

        private Mount(Path point) {
            this.point = point;
        }

        static Mount tmpfs(Path point, String size) throws Exception {
            Files.createDirectories(point);
            boolean mounted = System.getProperty("os.name").startsWith("Linux")
                    && run("mount", "-t", "tmpfs", "-o", "size=" + size, "imagebatch-test", point.toString()) == 0;
            Assumptions.assumeTrue(mounted, "this environment does not let the test mount a tmpfs");
            return new Mount(point);
        }

        void remount(String mode) throws Exception {
            int exit = run("mount", "-o", "remount," + mode, point.toString());
            assertThat(exit).as("remount " + mode).isZero();
        }

        @Override
        public void close() throws Exception {
            assertThat(run("umount", point.toString())).as("umount").isZero();
        }

        private static int run(String... command) throws Exception {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                return -1; // no mount command
            }
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                System.err.println(String.join(" ", command) + ": " + output.strip());
            }
            return exit;
        }
    }
}
