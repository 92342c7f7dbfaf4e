package dev.imagebatch.examples.bench;

import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.examples.wiring.Engine;
import dev.imagebatch.examples.wiring.Storage;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One benchmark: {@code passes} requests of the same shape, one after another, each with URLs of its
 * own (so none reuses another's downloads), through the filesystem stores and the default fetcher.
 * The first passes warm the JIT; the report shows every pass and the median.
 */
public final class BenchRun {

    /** What the benchmark measures. */
    public record Settings(Path folder, Integer generated, int generatedWidth, int generatedHeight, int rows,
                           int perRow, boolean repeat, int warmupPasses, int passes, ProcessingSettings processing,
                           List<Integer> heapAtRows, Path data) {
    }

    /** The figures of one pass. */
    public record Pass(int images, int distinct, long inputPixels, double wallSeconds, double cpuSeconds,
                       double submitMillis, long peakHeapBytes, int fetches, long encodes,
                       RequestState state, Map<Integer, Long> heapAfterRows) {

        double imagesPerSecond() {
            return images / wallSeconds;
        }

        double megapixelsPerSecond() {
            return inputPixels / 1e6 / wallSeconds;
        }

        double cpuSecondsPerImage() {
            return cpuSeconds / distinct;
        }

        /** Each distinct URL has an output image, and there were exactly as many fetches: one each. */
        boolean fetchedAndEncodedOnce() {
            return encodes == distinct && fetches == distinct;
        }
    }

    /** Every pass and the process's peak RSS. */
    public record Report(Settings settings, List<Pass> passes, long peakRssBytes) {

        /** Whether every distinct URL of every pass was fetched exactly once and encoded once. */
        public boolean allFetchedOnce() {
            return passes.stream().allMatch(Pass::fetchedAndEncodedOnce);
        }

        /** Prints a table of the passes and the median. */
        public void print(PrintWriter out) {
            out.printf(Locale.ROOT, "%-6s %7s %8s %8s %8s %9s %9s %10s %9s %7s %7s %s%n", "pass", "images",
                    "distinct", "wall s", "img/s", "in MP/s", "CPU s/img", "submit ms", "heap MB", "fetch1", "encode1",
                    "state");
            int warmup = settings.warmupPasses();
            for (int i = 0; i < passes.size(); i++) {
                Pass p = passes.get(i);
                String label = i < warmup ? "w" + (i + 1) : Integer.toString(i + 1 - warmup);
                out.printf(Locale.ROOT, "%-6s %7d %8d %8.2f %8.2f %9.1f %9.3f %10.1f %9.1f %7s %7s %s%n", label,
                        p.images(), p.distinct(), p.wallSeconds(), p.imagesPerSecond(), p.megapixelsPerSecond(),
                        p.cpuSecondsPerImage(), p.submitMillis(), p.peakHeapBytes() / 1e6,
                        p.fetches() == p.distinct() ? "yes" : "NO", p.encodes() == p.distinct() ? "yes" : "NO",
                        p.state());
                p.heapAfterRows().forEach((rows, bytes) -> out.printf(Locale.ROOT,
                        "       heap after GC when %d rows were done: %.1f MB%n", rows, bytes / 1e6));
            }
            List<Pass> measured = passes.subList(Math.min(warmup, passes.size() - 1), passes.size());
            Pass median = measured.stream().sorted(Comparator.comparingDouble(Pass::imagesPerSecond))
                    .toList().get(measured.size() / 2);
            out.printf(Locale.ROOT, "median of %d passes%s: %.2f img/s, %.1f input MP/s, %.3f CPU s/img; peak RSS %.1f MB%n",
                    measured.size(), measured.size() < passes.size() ? " after warm-up" : "",
                    median.imagesPerSecond(), median.megapixelsPerSecond(), median.cpuSecondsPerImage(),
                    peakRssBytes / 1e6);
        }
    }

    private final Settings settings;

    public BenchRun(Settings settings) {
        this.settings = settings;
    }

    /** Runs every pass. */
    public Report execute() throws Exception {
        Map<String, BenchImages.Image> images = settings.folder() != null
                ? BenchImages.folder(settings.folder())
                : BenchImages.generated(settings.generated(), settings.generatedWidth(), settings.generatedHeight());
        List<String> names = new ArrayList<>(images.keySet());
        Path root = settings.data() != null ? settings.data() : Files.createTempDirectory("imagebatch-bench-");
        List<Pass> passes = new ArrayList<>();
        try (BenchImageServer server = BenchImageServer.start(images)) {
            int total = settings.warmupPasses() + settings.passes();
            for (int pass = 1; pass <= total; pass++) {
                passes.add(runPass(server, images, names, root, "p" + pass,
                        pass == total ? settings.heapAtRows() : List.of()));
            }
        } finally {
            if (settings.data() == null) {
                deleteTree(root);
            }
        }
        return new Report(settings, passes, ResourceMeter.peakRssBytes());
    }

    private Pass runPass(BenchImageServer server, Map<String, BenchImages.Image> images, List<String> names,
                         Path root, String token, List<Integer> heapAtRows) throws Exception {
        Path csv = Files.createTempFile("imagebatch-bench-", ".csv");
        int perRow = settings.perRow();
        int distinct = BenchCsv.write(csv, server, names, token, settings.rows(), perRow, settings.repeat());
        long inputPixels = 0;
        for (int i = 0; i < distinct; i++) {
            inputPixels += images.get(names.get(i % names.size())).pixels();
        }
        AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.0/8");
        Map<Integer, Long> heapAfterRows = new TreeMap<>();
        ExecutorService gcThread = Executors.newSingleThreadExecutor();
        try (ResourceMeter meter = new ResourceMeter()) {
            ProcessingListener checkpoints = checkpoints(heapAtRows, perRow, meter, heapAfterRows, gcThread);
            OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().addressPolicy(loopback).build();
            Storage storage = Storage.filesystem(root, Optional.empty());
            try (Engine engine = Engine.start(storage, fetcher, settings.processing(),
                    WebhookSettings.builder().addressPolicy(loopback).build(), checkpoints)) {
                long cpuBefore = meter.processCpuNanos();
                long serverBefore = server.cpuNanos();
                long start = System.nanoTime();
                String id = engine.service().submit(csv);
                long submitted = System.nanoTime();
                RequestStatus done = engine.service().await(id).get();
                long end = System.nanoTime();
                double cpu = (meter.processCpuNanos() - cpuBefore - (server.cpuNanos() - serverBefore)) / 1e9;
                gcThread.shutdown();
                gcThread.awaitTermination(1, TimeUnit.MINUTES);
                int fetches = server.requests(token);
                return new Pass(done.totalImages(), distinct, inputPixels, (end - start) / 1e9, cpu,
                        (submitted - start) / 1e6, meter.peakHeapBytes(), fetches,
                        countFiles(root.resolve("images").resolve(id)), done.state(), heapAfterRows);
            }
        } finally {
            gcThread.shutdownNow();
            Files.deleteIfExists(csv);
        }
    }

    /** Measures the heap after a full GC (on its own thread) when the images of N rows are done. */
    private static ProcessingListener checkpoints(List<Integer> rows, int perRow, ResourceMeter meter,
                                                  Map<Integer, Long> results, ExecutorService gcThread) {
        AtomicInteger done = new AtomicInteger();
        return new ProcessingListener() {
            @Override
            public void onImageFinished(String requestId, ImageResult result) {
                int images = done.incrementAndGet();
                for (int checkpoint : rows) {
                    if (images == checkpoint * perRow) {
                        gcThread.execute(() -> {
                            long bytes = meter.heapAfterGc();
                            synchronized (results) {
                                results.put(checkpoint, bytes);
                            }
                        });
                    }
                }
            }
        };
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
