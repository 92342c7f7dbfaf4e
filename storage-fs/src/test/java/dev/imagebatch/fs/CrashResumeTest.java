package dev.imagebatch.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.RecordJson;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a service with SIGKILL part way through a request and resumes it in a new service on the
 * same directory.
 *
 * <p>A child JVM ({@link CrashChild}) processes 48 images served from a loopback server. The server
 * answers the first {@code killAfter + GATE_SLACK} image requests (each after a short delay) and
 * holds every later one until the child is dead, so the request can never finish before the kill
 * while the images just before the kill point are still moving through fetch, encode, publish and
 * the results log. The test kills the child ({@link Process#destroyForcibly()}) as soon as
 * {@code killAfter} results are recorded, then resumes in this JVM and checks the outcome.
 */
class CrashResumeTest {

    private static final int ROWS = 16;
    private static final int URLS_PER_ROW = 3;
    private static final int IMAGES = ROWS * URLS_PER_ROW;
    private static final int GATE_SLACK = 4;
    private static final Pattern IMAGE_PATH = Pattern.compile("/img/(\\d+)\\.jpg");

    @TempDir
    Path temp;

    private final MockWebServer server = new MockWebServer();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger served = new AtomicInteger();
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile int gateAfter;
    private Process child;

    @BeforeEach
    void startServer() throws IOException {
        Map<Integer, byte[]> images = new ConcurrentHashMap<>();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                String path = request.getUrl().encodedPath();
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                Matcher m = IMAGE_PATH.matcher(path);
                if (!m.matches()) {
                    return new MockResponse.Builder().code(404).build();
                }
                if (served.incrementAndGet() > gateAfter) {
                    gate.await(60, TimeUnit.SECONDS);
                }
                Thread.sleep(30);
                int n = Integer.parseInt(m.group(1));
                byte[] jpeg = images.computeIfAbsent(n, CrashResumeTest::image);
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "image/jpeg")
                        .body(new Buffer().write(jpeg)).build();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        gate.countDown();
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        server.close();
    }

    /** Image n: (40 + 2n) x 30 pixels, so its output is (20 + n) x 15 and tells which input it came from. */
    private static byte[] image(int n) {
        return TestImages.jpeg(40 + 2 * n, 30, new Color(n * 5, 255 - n * 5, 128), Color.WHITE);
    }

    @ParameterizedTest(name = "killed after {0} recorded images")
    @ValueSource(ints = {5, 24, 40})
    void aKilledRequestResumesAndFinishesWithoutRefetchingDoneImages(int killAfter) throws Exception {
        gateAfter = killAfter + GATE_SLACK;
        Path root = temp.resolve("data");
        Path csv = writeInputCsv();

        // Load the JSON classes first, so that the first look at the child's progress is not late.
        RecordJson.readImage(RecordJson.write(ImageResult.success(1, 1, "http://x/", URI.create("file:/x"))));

        // 1. A child JVM processes the request until killAfter results are recorded, then dies by SIGKILL.
        Path childLog = temp.resolve("child.log");
        child = startChild(root, csv, childLog);
        String id = readRequestId(child, childLog);
        assertThatThrownBy(() -> FileStatusStore.open(root))
                .as("the child process holds the directory lock")
                .isInstanceOf(IOException.class)
                .hasMessageContaining("store.lock");
        FileStatusStore observer = FileStatusStore.openReadOnly(root);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (observer.images(id).size() < killAfter) {
            assertThat(child.isAlive()).as("child is running; its log:%n%s", log(childLog)).isTrue();
            assertThat(System.nanoTime()).as("%s results recorded in time; child log:%n%s", killAfter, log(childLog))
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        gate.countDown();

        // 2. What the killed process left.
        List<ImageResult> recorded = observer.images(id);
        Set<String> doneBeforeKill = recorded.stream().filter(ImageResult::succeeded)
                .map(r -> URI.create(r.inputUrl()).getPath()).collect(Collectors.toSet());
        RequestStatus atKill = observer.find(id).orElseThrow().status();
        List<Path> tempsAtKill = tempFiles(root);
        int requestsBeforeResume = served.get();
        System.out.printf("kill after %d: %d results recorded, %d image requests made, %d temporary file(s) left: %s%n",
                killAfter, recorded.size(), requestsBeforeResume, tempsAtKill.size(), tempsAtKill);
        assertThat(atKill.state()).isEqualTo(RequestState.PROCESSING);
        assertThat(doneBeforeKill).hasSizeGreaterThanOrEqualTo(killAfter).hasSizeLessThan(IMAGES);
        observer.close();

        // 3. A new service on the same directory resumes the request (opening the store also shows
        //    that the killed process's lock was released by the operating system).
        try (FileStatusStore store = FileStatusStore.open(root);
             OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder()
                     .addressPolicy(AddressPolicy.publicOnly().allow("127.0.0.0/8")).build();
             ImageProcessingService service = ImageProcessingService.builder()
                     .statusStore(store)
                     .resultPublisher(FileResultPublisher.create(root))
                     .imageFetcher(fetcher)
                     .settings(ProcessingSettings.builder().fetchConcurrency(4).workers(2).build())
                     .build()) {
            assertThat(service.resumeUnfinished()).containsExactly(id);
            RequestStatus done = service.await(id).get(60, TimeUnit.SECONDS);

            assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
            assertThat(done.succeeded()).isEqualTo(IMAGES);
            assertThat(done.failed()).isZero();
            assertThat(service.images(id)).hasSize(IMAGES).allMatch(ImageResult::succeeded);
        }

        // 4. Images done before the kill were not fetched again; every image was fetched.
        for (String path : doneBeforeKill) {
            assertThat(hits.get(path)).as("requests for %s, done before the kill", path).hasValue(1);
        }
        for (int n = 1; n <= IMAGES; n++) {
            assertThat(hits.get("/img/" + n + ".jpg")).as("requests for image %d", n).isNotNull();
        }

        // 5. The output CSV is well-formed, with one output per input URL, each an existing JPEG of
        //    the right input.
        Path outputCsv = root.resolve(ObjectKeys.outputCsv(id));
        Csv.Parsed output;
        try (InputStream in = Files.newInputStream(outputCsv)) {
            output = Csv.parse(in);
        }
        assertThat(output.header()).containsExactly("serial_no", "product_name", "input_image_urls", "output_image_urls");
        assertThat(output.records()).hasSize(ROWS);
        Set<String> outputs = new HashSet<>();
        for (CSVRecord row : output.records()) {
            assertThat(row.isConsistent()).isTrue();
            String[] inputs = row.get("input_image_urls").split(",");
            String[] outs = row.get("output_image_urls").split(", ", -1);
            assertThat(outs).as("row %s", row.get("serial_no")).hasSameSizeAs(inputs);
            for (int i = 0; i < inputs.length; i++) {
                assertThat(outs[i]).isNotBlank();
                assertThat(outputs.add(outs[i])).as("output %s appears once", outs[i]).isTrue();
                Path file = Path.of(URI.create(outs[i]));
                assertThat(file).startsWith(root).isRegularFile();
                int n = imageNumber(inputs[i].trim());
                BufferedImage decoded = TestImages.decode(Files.readAllBytes(file));
                assertThat(decoded.getWidth()).as("output of image %d", n).isEqualTo(20 + n);
                assertThat(decoded.getHeight()).isEqualTo(15);
            }
        }
        assertThat(outputs).hasSize(IMAGES);

        // 6. Nothing temporary is left anywhere, and the results log was compacted.
        assertThat(tempFiles(root)).isEmpty();
        List<String> lines = Files.readAllLines(root.resolve("status").resolve(id + ".results.jsonl"));
        assertThat(lines).hasSize(IMAGES);
        List<String> positions = new ArrayList<>();
        for (String line : lines) {
            ImageResult r = RecordJson.readImage(line.getBytes(StandardCharsets.UTF_8));
            positions.add(String.format("%05d/%05d", r.row(), r.index()));
        }
        assertThat(positions).isSorted().doesNotHaveDuplicates();
    }

    private Path writeInputCsv() throws IOException {
        StringBuilder csv = new StringBuilder("serial_no,product_name,input_image_urls\r\n");
        int n = 0;
        for (int row = 1; row <= ROWS; row++) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < URLS_PER_ROW; i++) {
                urls.add(server.url("/img/" + (++n) + ".jpg").toString());
            }
            csv.append(row).append(",Product ").append(row).append(",\"").append(String.join(",", urls)).append("\"\r\n");
        }
        Path file = temp.resolve("input.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private static int imageNumber(String url) {
        Matcher m = IMAGE_PATH.matcher(URI.create(url).getPath());
        assertThat(m.matches()).as("input URL %s", url).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static Process startChild(Path root, Path csv, Path childLog) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", testClassPath(), CrashChild.class.getName(), root.toString(), csv.toString());
        return new ProcessBuilder(command)
                .redirectError(childLog.toFile())
                .start();
    }

    /**
     * The test classpath. Surefire may start this JVM through a manifest-only jar, leaving
     * {@code java.class.path} with that jar alone; it then puts the real classpath in
     * {@code surefire.test.class.path}.
     */
    static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String cp = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        Path core;
        try {
            core = Path.of(ImageProcessingService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertThat(Stream.of(cp.split(File.pathSeparator)).map(e -> Path.of(e).toAbsolutePath()))
                .as("the classpath for the child (%s) holds core (%s)", cp, core)
                .contains(core.toAbsolutePath());
        return cp;
    }

    private static String readRequestId(Process process, Path childLog) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String id;
        try {
            id = line.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the child printed no request id; its log:\n" + log(childLog), e);
        }
        assertThat(id).as("request id; child log:%n%s", log(childLog)).isNotNull().matches("[0-9a-f-]{36}");
        return id;
    }

    private static List<Path> tempFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> AtomicFiles.isTempName(p.getFileName().toString())
                            || p.getFileName().toString().endsWith(".tmp"))
                    .toList();
        }
    }

    private static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }
}
