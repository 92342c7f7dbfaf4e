package dev.imagebatch.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import dev.imagebatch.spi.RecordJson;
import dev.imagebatch.spi.RequestRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileStatusStoreTest {

    @TempDir
    Path temp;

    private Path root;
    private Path status;
    private FileStatusStore store;

    @BeforeEach
    void open() throws IOException {
        root = temp.resolve("root");
        status = root.resolve("status");
        store = FileStatusStore.open(root);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static RequestRecord record(Instant created) {
        return new RequestRecord(RequestStatus.accepted(UUID.randomUUID().toString(), 1000, created,
                WebhookDelivery.NOT_REQUESTED), Optional.empty());
    }

    private static RequestRecord record() {
        return record(Instant.parse("2026-03-04T05:06:07.089Z"));
    }

    private static ImageResult ok(int row, int index) {
        return ImageResult.success(row, index, "https://shop.example/" + row + "/" + index + ".jpg",
                URI.create("file:///out/" + row + "/" + index + ".jpg"));
    }

    private static ImageResult failed(int row, int index) {
        return ImageResult.failure(row, index, "https://shop.example/" + row + "/" + index + ".jpg",
                ImageError.of(ErrorCode.TIMEOUT, "read timed out"));
    }

    private Path recordFile(String id) {
        return status.resolve(id + ".json");
    }

    private Path log(String id) {
        return status.resolve(id + ".results.jsonl");
    }

    private static RequestRecord finish(RequestRecord r, RequestState state) {
        return r.withStatus(r.status().finished(state, Optional.empty(), Optional.empty(), r.status().updatedAt()));
    }

    // --- format -----------------------------------------------------------------------------

    @Test
    void keepsOneRecordFileAndAnAppendOnlyResultsLogPerRequest() throws Exception {
        RequestRecord r = record();
        store.create(r);
        assertThat(RecordJson.readRecord(Files.readAllBytes(recordFile(r.requestId())))).isEqualTo(r);

        store.putImages(r.requestId(), List.of(ok(2, 1), failed(1, 1)));
        byte[] before = Files.readAllBytes(log(r.requestId()));
        store.putImages(r.requestId(), List.of(ok(1, 1)));
        byte[] after = Files.readAllBytes(log(r.requestId()));

        assertThat(Arrays.copyOf(after, before.length)).as("earlier bytes are never rewritten").isEqualTo(before);
        String appended = new String(after, before.length, after.length - before.length, StandardCharsets.UTF_8);
        assertThat(appended).isEqualTo(new String(RecordJson.write(ok(1, 1)), StandardCharsets.UTF_8) + "\n");
        assertThat(Files.readAllLines(log(r.requestId()))).hasSize(3);
        assertThat(store.images(r.requestId())).containsExactly(ok(1, 1), ok(2, 1));
    }

    @Test
    void recordingProgressAppendsOnlyTheNewResults() throws Exception {
        RequestRecord r = record();
        store.create(r);
        for (int row = 1; row <= 300; row++) {
            store.putImages(r.requestId(), List.of(ok(row, 1), ok(row, 2)));
        }
        long size = Files.size(log(r.requestId()));
        store.putImages(r.requestId(), List.of(ok(301, 1)));
        assertThat(Files.size(log(r.requestId())) - size).isEqualTo(RecordJson.write(ok(301, 1)).length + 1);
        assertThat(store.images(r.requestId())).hasSize(601);
    }

    @Test
    void aTerminalUpdateCompactsTheLogToOneSortedLinePerPosition() throws Exception {
        RequestRecord r = record();
        store.create(r);
        store.putImages(r.requestId(), List.of(failed(3, 1), ok(1, 2)));
        store.putImages(r.requestId(), List.of(ok(3, 1), ok(1, 1), failed(1, 2)));
        assertThat(Files.readAllLines(log(r.requestId()))).hasSize(5);

        store.update(r.requestId(), x -> x.withStatus(x.status().withCounts(2, 1, x.status().updatedAt())));
        assertThat(Files.readAllLines(log(r.requestId()))).as("not terminal yet: untouched").hasSize(5);

        store.update(r.requestId(), x -> finish(x, RequestState.COMPLETED_WITH_ERRORS));
        List<String> lines = Files.readAllLines(log(r.requestId()));
        assertThat(lines).containsExactly(
                new String(RecordJson.write(ok(1, 1)), StandardCharsets.UTF_8),
                new String(RecordJson.write(failed(1, 2)), StandardCharsets.UTF_8),
                new String(RecordJson.write(ok(3, 1)), StandardCharsets.UTF_8));
        assertThat(store.images(r.requestId())).containsExactly(ok(1, 1), failed(1, 2), ok(3, 1));
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void filesArePrivateToTheirOwner() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                root.getFileSystem().supportedFileAttributeViews().contains("posix"));
        RequestRecord r = record();
        store.create(r);
        store.putImages(r.requestId(), List.of(ok(1, 1)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(recordFile(r.requestId()))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log(r.requestId()))))
                .isEqualTo("rw-------");
    }

    // --- durability and crashes ---------------------------------------------------------------

    @Test
    void everythingSurvivesReopening() throws Exception {
        RequestRecord r = record();
        store.create(r);
        store.putImages(r.requestId(), List.of(ok(1, 1), failed(2, 1)));
        RequestRecord updated = store.update(r.requestId(), x -> x.withStatus(x.status().withCounts(1, 1, x.status().updatedAt())));
        store.close();

        try (FileStatusStore reopened = FileStatusStore.open(root)) {
            assertThat(reopened.find(r.requestId())).contains(updated);
            assertThat(reopened.images(r.requestId())).containsExactly(ok(1, 1), failed(2, 1));
            assertThat(reopened.unfinished()).containsExactly(r.requestId());
        }
        store = FileStatusStore.open(root);
    }

    @Test
    void anIncompleteLastLineIsIgnoredByReadersAndCutOffBeforeTheNextAppend() throws Exception {
        RequestRecord r = record();
        store.create(r);
        store.putImages(r.requestId(), List.of(ok(1, 1), ok(1, 2)));
        store.close();
        byte[] torn = Arrays.copyOf(RecordJson.write(ok(1, 3)), 25); // a crash in the middle of an append
        Files.write(log(r.requestId()), torn, StandardOpenOption.APPEND);

        try (FileStatusStore reader = FileStatusStore.openReadOnly(root)) {
            assertThat(reader.images(r.requestId())).containsExactly(ok(1, 1), ok(1, 2));
        }
        store = FileStatusStore.open(root);
        assertThat(store.images(r.requestId())).containsExactly(ok(1, 1), ok(1, 2));
        store.putImages(r.requestId(), List.of(ok(2, 1)));

        List<String> lines = Files.readAllLines(log(r.requestId()));
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            RecordJson.readImage(line.getBytes(StandardCharsets.UTF_8)); // every line whole
        }
        assertThat(store.images(r.requestId())).containsExactly(ok(1, 1), ok(1, 2), ok(2, 1));
    }

    @Test
    void aLogWithOnlyAnIncompleteLineIsCutToEmpty() throws Exception {
        RequestRecord r = record();
        store.create(r);
        store.close();
        Files.write(log(r.requestId()), "{\"row\":1,\"ind".getBytes(StandardCharsets.UTF_8));
        store = FileStatusStore.open(root);
        assertThat(store.images(r.requestId())).isEmpty();
        store.putImages(r.requestId(), List.of(ok(1, 1)));
        assertThat(Files.readAllLines(log(r.requestId())))
                .containsExactly(new String(RecordJson.write(ok(1, 1)), StandardCharsets.UTF_8));
    }

    @Test
    void aDamagedLineInTheMiddleIsSkippedNotFatal() throws Exception {
        RequestRecord r = record();
        store.create(r);
        store.putImages(r.requestId(), List.of(ok(1, 1)));
        Files.write(log(r.requestId()), "not json at all\n\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        store.putImages(r.requestId(), List.of(ok(1, 2)));
        assertThat(store.images(r.requestId())).containsExactly(ok(1, 1), ok(1, 2));
    }

    @Test
    void damagedRecordsAreSkippedByUnfinishedAndReportedByFind() throws Exception {
        RequestRecord good = record();
        store.create(good);
        String garbage = UUID.randomUUID().toString();
        Files.writeString(recordFile(garbage), "{\"format\":1,\"request_id\":\"" + garbage + "\",\"sta");
        String empty = UUID.randomUUID().toString();
        Files.write(recordFile(empty), new byte[0]);
        String mismatched = UUID.randomUUID().toString();
        Files.write(recordFile(mismatched), RecordJson.write(record()));
        Files.createDirectory(recordFile(UUID.randomUUID().toString()));
        Files.writeString(status.resolve("not an id.json"), "{}");

        assertThat(store.unfinished()).containsExactly(good.requestId());
        assertThatThrownBy(() -> store.find(garbage)).isInstanceOf(IOException.class)
                .hasMessageContaining(recordFile(garbage).toString()).hasMessageContaining(garbage);
        assertThatThrownBy(() -> store.find(empty)).isInstanceOf(IOException.class)
                .hasMessageContaining(recordFile(empty).toString());
        assertThatThrownBy(() -> store.find(mismatched)).isInstanceOf(IOException.class)
                .hasMessageContaining(recordFile(mismatched).toString());
    }

    @Test
    void temporaryFilesOfAnInterruptedWriteAreRemovedOnOpenAndNeverTakenForRecords() throws Exception {
        RequestRecord r = record();
        store.create(r);
        store.close();
        Path leftover = status.resolve(r.requestId() + ".json~abc123.tmp");
        Files.writeString(leftover, "{\"half\":");
        Path other = status.resolve(UUID.randomUUID() + ".results.jsonl~zz.tmp");
        Files.writeString(other, "x");

        try (FileStatusStore reader = FileStatusStore.openReadOnly(root)) {
            assertThat(reader.unfinished()).containsExactly(r.requestId());
            assertThat(leftover).as("a reader deletes nothing").exists();
        }
        store = FileStatusStore.open(root);
        assertThat(leftover).doesNotExist();
        assertThat(other).doesNotExist();
        assertThat(store.find(r.requestId())).contains(r);
    }

    @Test
    void unfinishedListsOldestFirst() throws Exception {
        RequestRecord later = record(Instant.parse("2026-03-04T05:06:09Z"));
        RequestRecord earlier = record(Instant.parse("2026-03-04T05:06:08Z"));
        RequestRecord done = record(Instant.parse("2026-03-04T05:06:07Z"));
        store.create(later);
        store.create(earlier);
        store.create(finish(done, RequestState.FAILED));
        assertThat(store.unfinished()).containsExactly(earlier.requestId(), later.requestId());
    }

    // --- ids ------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/b", "..", ".", "", ".hidden", "a\\b", "a..b", "x y", "ü",
            "/abs", "C:x", "id~1.tmp", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void idsThatCannotBeSafeFileNamesAreRefused(String id) throws Exception {
        RequestRecord bad = new RequestRecord(RequestStatus.accepted(id, 1, Instant.parse("2026-01-01T00:00:00Z"),
                WebhookDelivery.NOT_REQUESTED), Optional.empty());
        assertThatThrownBy(() -> store.create(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putImages(id, List.of(ok(1, 1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.update(id, r -> r)).isInstanceOf(IllegalStateException.class);
        assertThat(store.find(id)).isEmpty();
        assertThat(store.images(id)).isEmpty();
        try (Stream<Path> all = Files.walk(temp)) {
            assertThat(all.filter(Files::isRegularFile).toList()).containsExactly(status.resolve("store.lock"));
        }
    }

    @Test
    void resultsForAnUnknownRequestAreRefused() {
        assertThatThrownBy(() -> store.putImages(UUID.randomUUID().toString(), List.of(ok(1, 1))))
                .isInstanceOf(IllegalStateException.class);
    }

    // --- concurrency ----------------------------------------------------------------------------

    @Test
    void manyThreadsUpdatingAndRecordingSeveralRequestsLoseNothing() throws Exception {
        int threads = 16;
        int perThread = 40;
        List<RequestRecord> records = List.of(record(), record(), record());
        for (RequestRecord r : records) {
            store.create(r);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 1; i <= perThread; i++) {
                        String id = records.get((thread + i) % records.size()).requestId();
                        store.putImages(id, List.of(ok(thread + 1, i)));
                        store.update(id, r -> r.withStatus(r.status().withCounts(r.status().succeeded() + 1,
                                r.status().failed(), r.status().updatedAt())));
                        if (i % 10 == 0) {
                            store.images(id);
                            store.unfinished();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        store.close();
        store = FileStatusStore.open(root);
        int results = 0;
        int counted = 0;
        for (RequestRecord r : records) {
            results += store.images(r.requestId()).size();
            counted += store.find(r.requestId()).orElseThrow().status().succeeded();
        }
        assertThat(results).isEqualTo(threads * perThread);
        assertThat(counted).isEqualTo(threads * perThread);
        assertThat(tempFiles()).isEmpty();
    }

    // --- lock and modes -------------------------------------------------------------------------

    @Test
    void aSecondWriterIsRefusedUntilTheFirstCloses() throws Exception {
        assertThatThrownBy(() -> FileStatusStore.open(root))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(status.resolve("store.lock").toString());
        store.close();
        try (FileStatusStore second = FileStatusStore.open(root)) {
            assertThat(second.isReadOnly()).isFalse();
        }
        store = FileStatusStore.open(root);
    }

    @Test
    void aReadOnlyStoreReadsBesideTheWriterAndRefusesWrites() throws Exception {
        RequestRecord r = record();
        store.create(r);
        store.putImages(r.requestId(), List.of(ok(1, 1)));
        try (FileStatusStore reader = FileStatusStore.openReadOnly(root)) {
            assertThat(reader.isReadOnly()).isTrue();
            assertThat(reader.find(r.requestId())).contains(r);
            assertThat(reader.images(r.requestId())).containsExactly(ok(1, 1));
            assertThat(reader.unfinished()).containsExactly(r.requestId());
            store.putImages(r.requestId(), List.of(ok(1, 2)));
            assertThat(reader.images(r.requestId())).containsExactly(ok(1, 1), ok(1, 2));
            assertThatThrownBy(() -> reader.create(record())).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> reader.update(r.requestId(), x -> x)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> reader.putImages(r.requestId(), List.of(ok(2, 1))))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aReadOnlyStoreOnAMissingDirectoryIsEmptyAndCreatesNothing() throws Exception {
        Path missing = temp.resolve("nowhere");
        try (FileStatusStore reader = FileStatusStore.openReadOnly(missing)) {
            assertThat(reader.unfinished()).isEmpty();
            assertThat(reader.find(UUID.randomUUID().toString())).isEmpty();
            assertThat(reader.images(UUID.randomUUID().toString())).isEmpty();
        }
        assertThat(missing).doesNotExist();
    }

    @Test
    void aClosedStoreRefusesEveryCall() {
        store.close();
        store.close();
        assertThatThrownBy(() -> store.find(UUID.randomUUID().toString())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.create(record())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.unfinished()).isInstanceOf(IllegalStateException.class);
    }

    // --- storage failures -----------------------------------------------------------------------

    @Test
    void aFileWhereTheStatusDirectoryShouldBeFailsOpeningWithThePath() throws Exception {
        Path other = temp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("status"), "I am a file");
        assertThatThrownBy(() -> FileStatusStore.open(other))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(other.resolve("status").toString());
    }

    @Test
    void aDirectoryWhereTheResultsLogShouldBeFailsWithTheRequestAndPath() throws Exception {
        RequestRecord r = record();
        store.create(r);
        Files.createDirectories(log(r.requestId()).resolve("blocker"));
        assertThatThrownBy(() -> store.putImages(r.requestId(), List.of(ok(1, 1))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(r.requestId())
                .hasMessageContaining(log(r.requestId()).toString());
        assertThatThrownBy(() -> store.images(r.requestId()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(log(r.requestId()).toString());
        assertThat(store.find(r.requestId())).as("the record is untouched").contains(r);
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
