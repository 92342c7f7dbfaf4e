package dev.imagebatch.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link ResultPublisher} must have. A backend's test extends this class and
 * implements {@link #newPublisher()}.
 */
public abstract class ResultPublisherContract {

    /** A new publisher over empty storage. Called once per test. */
    protected abstract ResultPublisher newPublisher() throws Exception;

    private ResultPublisher publisher;
    private final String requestId = UUID.randomUUID().toString();

    @TempDir
    Path temp;

    @BeforeEach
    void createPublisher() throws Exception {
        publisher = newPublisher();
    }

    @Test
    void readsBackWhatWasPublished() throws Exception {
        byte[] bytes = randomBytes(10_000, 1);
        String key = ObjectKeys.image(requestId, 1, 1, "jpg");
        URI url = publisher.publish(key, ObjectContent.ofBytes(bytes, "image/jpeg"));
        assertThat(url).isNotNull();
        assertThat(url.isAbsolute()).as("URL %s is absolute", url).isTrue();
        assertThat(read(key)).contains(bytes);
    }

    @Test
    void openOfAMissingKeyIsEmpty() throws Exception {
        assertThat(publisher.open(ObjectKeys.outputCsv(UUID.randomUUID().toString()))).isEmpty();
    }

    @Test
    void publishingAgainReplacesTheObject() throws Exception {
        String key = ObjectKeys.outputCsv(requestId);
        publisher.publish(key, ObjectContent.ofBytes("first, and longer than the second".getBytes(StandardCharsets.UTF_8),
                "text/csv; charset=utf-8"));
        URI url = publisher.publish(key, ObjectContent.ofBytes("second".getBytes(StandardCharsets.UTF_8),
                "text/csv; charset=utf-8"));
        assertThat(url).isNotNull();
        assertThat(read(key)).contains("second".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void publishesFromAFile() throws Exception {
        Path file = temp.resolve("out.csv");
        byte[] bytes = randomBytes(3 * 1024 * 1024 + 17, 2);
        Files.write(file, bytes);
        String key = ObjectKeys.outputCsv(requestId);
        publisher.publish(key, ObjectContent.ofFile(file, "text/csv; charset=utf-8"));
        assertThat(read(key)).contains(bytes);
    }

    @Test
    void keysOfDifferentRequestsDoNotCollide() throws Exception {
        String other = UUID.randomUUID().toString();
        publisher.publish(ObjectKeys.image(requestId, 1, 1, "jpg"), ObjectContent.ofBytes(new byte[] {1}, "image/jpeg"));
        publisher.publish(ObjectKeys.image(other, 1, 1, "jpg"), ObjectContent.ofBytes(new byte[] {2}, "image/jpeg"));
        assertThat(read(ObjectKeys.image(requestId, 1, 1, "jpg"))).contains(new byte[] {1});
        assertThat(read(ObjectKeys.image(other, 1, 1, "jpg"))).contains(new byte[] {2});
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape.jpg", "images/../../escape.jpg", "/absolute.jpg", "images//x.jpg",
            "images\\x.jpg", "images/x.jpg/", "", "images/./x.jpg", "images/ü.jpg", "C:/x.jpg"})
    void refusesUnsafeKeysBeforeTouchingStorage(String key) {
        assertThatThrownBy(() -> publisher.publish(key, ObjectContent.ofBytes(new byte[] {1}, "image/jpeg")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> publisher.open(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentPublishesOfDifferentKeysAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<URI>> futures = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                int index = i;
                futures.add(pool.submit(() -> publisher.publish(ObjectKeys.image(requestId, 1, index, "jpg"),
                        ObjectContent.ofBytes(randomBytes(2000, index), "image/jpeg"))));
            }
            for (Future<URI> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 1; i <= 40; i++) {
            assertThat(read(ObjectKeys.image(requestId, 1, i, "jpg"))).contains(randomBytes(2000, i));
        }
    }

    @Test
    void concurrentPublishesOfOneKeyLeaveOneWholeObject() throws Exception {
        String key = ObjectKeys.image(requestId, 2, 1, "jpg");
        List<byte[]> versions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            versions.add(randomBytes(50_000, 100 + i));
        }
        StatusStoreContract.runConcurrently(8, t -> publisher.publish(key, ObjectContent.ofBytes(versions.get(t), "image/jpeg")));
        byte[] stored = read(key).orElseThrow();
        assertThat(versions).anySatisfy(v -> assertThat(stored).isEqualTo(v));
    }

    /** The bytes stored under {@code key}, read through {@link ResultPublisher#open}. */
    protected Optional<byte[]> read(String key) throws IOException {
        Optional<InputStream> in = publisher.open(key);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get()) {
            return Optional.of(stream.readAllBytes());
        }
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
