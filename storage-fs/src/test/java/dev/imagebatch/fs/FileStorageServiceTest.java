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
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine running on file storage, in this JVM. */
class FileStorageServiceTest {

    private static final String A = "https://shop.example/a.jpg";
    private static final String B = "https://shop.example/b.jpg";
    private static final String C = "https://shop.example/c.jpg";

    @TempDir
    Path root;

    private InMemoryImageFetcher fetcher;

    @BeforeEach
    void images() {
        fetcher = InMemoryImageFetcher.builder()
                .serve(A, TestImages.jpeg(80, 60, Color.RED, Color.BLUE), "image/jpeg")
                .serve(B, TestImages.jpeg(40, 20, Color.GREEN, Color.WHITE), "image/jpeg")
                .serve(C, TestImages.png(10, 10, Color.BLACK), "image/png")
                .build();
    }

    private ImageProcessingService service(FileStatusStore store, FileResultPublisher publisher) {
        return ImageProcessingService.builder()
                .statusStore(store)
                .resultPublisher(publisher)
                .imageFetcher(fetcher)
                .settings(ProcessingSettings.builder().fetchConcurrency(2).workers(1).build())
                .build();
    }

    private static InputStream csv() {
        return Csv.lines("serial_no,product_name,input_image_urls",
                "1,Shoe,\"" + A + "," + B + "\"",
                "2,Hat," + C);
    }

    @Test
    void processesARequestIntoFilesAndAnswersForItAfterARestart() throws Exception {
        String id;
        RequestStatus done;
        try (FileStatusStore store = FileStatusStore.open(root);
             ImageProcessingService service = service(store, FileResultPublisher.create(root))) {
            id = service.submit(csv());
            done = service.await(id).get(30, TimeUnit.SECONDS);
        }
        assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
        assertThat(done.succeeded()).isEqualTo(3);
        Path outputCsv = root.resolve("csv").resolve(id + ".csv");
        assertThat(done.outputCsvUrl()).contains(outputCsv.toUri());
        assertThat(root.resolve("input").resolve(id + ".csv")).isRegularFile();
        assertThat(root.resolve("status").resolve(id + ".json")).isRegularFile();
        assertThat(Files.readAllLines(root.resolve("status").resolve(id + ".results.jsonl"))).hasSize(3);

        List<CSVRecord> rows;
        try (InputStream in = Files.newInputStream(outputCsv)) {
            rows = Csv.parse(in).records();
        }
        assertThat(rows.get(0).get("output_image_urls")).isEqualTo(
                root.resolve(ObjectKeys.image(id, 1, 1, "jpg")).toUri() + ", " + root.resolve(ObjectKeys.image(id, 1, 2, "jpg")).toUri());
        assertThat(TestImages.decode(Files.readAllBytes(root.resolve(ObjectKeys.image(id, 1, 1, "jpg")))).getWidth()).isEqualTo(40);
        assertThat(TestImages.decode(Files.readAllBytes(root.resolve(ObjectKeys.image(id, 2, 1, "jpg")))).getWidth()).isEqualTo(5);

        try (FileStatusStore store = FileStatusStore.open(root);
             ImageProcessingService restarted = service(store, FileResultPublisher.create(root))) {
            assertThat(restarted.status(id)).contains(done);
            assertThat(restarted.images(id)).hasSize(3).allMatch(ImageResult::succeeded);
            assertThat(restarted.resumeUnfinished()).isEmpty();
            assertThat(restarted.await(id).get(5, TimeUnit.SECONDS)).isEqualTo(done);
        }
        assertThat(fetcher.totalFetches()).isEqualTo(3);
    }

    @Test
    void handsOutPublicUrlsWhenTheRootIsServedOverHttp() throws Exception {
        FileResultPublisher publisher = FileResultPublisher.builder(root)
                .publicBaseUrl(URI.create("http://localhost:8080/static/")).build();
        try (FileStatusStore store = FileStatusStore.open(root);
             ImageProcessingService service = service(store, publisher)) {
            String id = service.submit(csv());
            RequestStatus done = service.await(id).get(30, TimeUnit.SECONDS);
            assertThat(done.outputCsvUrl()).contains(URI.create("http://localhost:8080/static/csv/" + id + ".csv"));
            assertThat(service.images(id)).extracting(r -> r.outputUrl().orElseThrow().toString())
                    .containsExactly("http://localhost:8080/static/images/" + id + "/1/1.jpg",
                            "http://localhost:8080/static/images/" + id + "/1/2.jpg",
                            "http://localhost:8080/static/images/" + id + "/2/1.jpg");
        }
    }

    @Test
    void aFileWhereTheImagesDirectoryShouldBeIsAStorageErrorPerImageAndTheServiceCarriesOn() throws Exception {
        Path blocker = Files.writeString(root.resolve("images"), "in the way");
        try (FileStatusStore store = FileStatusStore.open(root);
             ImageProcessingService service = service(store, FileResultPublisher.create(root))) {
            String id = service.submit(csv());
            RequestStatus done = service.await(id).get(30, TimeUnit.SECONDS);

            assertThat(done.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS);
            assertThat(done.failed()).isEqualTo(3);
            assertThat(service.images(id)).hasSize(3).allSatisfy(r -> {
                assertThat(r.error()).hasValueSatisfying(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
                    assertThat(e.message()).contains(blocker.toString());
                });
            });
            assertThat(service.status(id)).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(RequestState.COMPLETED_WITH_ERRORS));
            List<CSVRecord> rows;
            try (InputStream in = Files.newInputStream(Path.of(done.outputCsvUrl().orElseThrow()))) {
                rows = Csv.parse(in).records();
            }
            assertThat(rows).extracting(r -> r.get("output_image_urls")).containsExactly(", ", "");

            Files.delete(blocker);
            String next = service.submit(csv());
            assertThat(service.await(next).get(30, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
        }
    }

    @Test
    void aDamagedRecordNeitherStopsAResumeNorTheService() throws Exception {
        String damaged = UUID.randomUUID().toString();
        Files.createDirectories(root.resolve("status"));
        Files.writeString(root.resolve("status").resolve(damaged + ".json"), "{\"format\":1,\"request_id\":\"" + damaged);
        try (FileStatusStore store = FileStatusStore.open(root);
             ImageProcessingService service = service(store, FileResultPublisher.create(root))) {
            assertThat(service.resumeUnfinished()).isEmpty();
            assertThatThrownBy(() -> service.status(damaged)).isInstanceOf(IOException.class)
                    .hasMessageContaining(damaged + ".json");
            String id = service.submit(csv());
            assertThat(service.await(id).get(30, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
            assertThat(service.status("../../etc/passwd")).isEmpty();
        }
    }
}
