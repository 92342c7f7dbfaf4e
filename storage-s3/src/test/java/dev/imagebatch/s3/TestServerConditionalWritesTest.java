package dev.imagebatch.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The store's correctness rests on the server honouring conditional writes; this checks that the
 * server the tests run against really does, so the racing tests mean something.
 */
class TestServerConditionalWritesTest {

    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void server() throws Exception {
        S3TestServer server = S3TestServer.shared();
        s3 = server.admin();
        bucket = server.newBucket();
    }

    @Test
    void ifNoneMatchStarRefusesToOverwrite() {
        s3.putObject(b -> b.bucket(bucket).key("k1").ifNoneMatch("*"), RequestBody.fromString("first"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("k1").ifNoneMatch("*"),
                RequestBody.fromString("second")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(read("k1")).isEqualTo("first");
    }

    @Test
    void ifMatchWritesOnlyOverTheExpectedVersion() {
        s3.putObject(b -> b.bucket(bucket).key("k2"), RequestBody.fromString("v1"));
        String etag = s3.getObject(b -> b.bucket(bucket).key("k2")).response().eTag();
        s3.putObject(b -> b.bucket(bucket).key("k2").ifMatch(etag), RequestBody.fromString("v2"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("k2").ifMatch(etag),
                RequestBody.fromString("v3")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(read("k2")).isEqualTo("v2");
        // The connection survives a refused write: the next call on the same client works.
        assertThat(read("k2")).isEqualTo("v2");
    }

    @Test
    void ofWritersHoldingTheSameEtagExactlyOneWins() throws Exception {
        assertThat(racingIfMatchWinners(s3, bucket, 10)).containsOnly(1);
    }

    @Test
    void ofCreatorsRacingOnOneKeyExactlyOneWins() throws Exception {
        for (int round = 0; round < 10; round++) {
            String key = "create-" + round;
            int winners = race(8, () -> s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"),
                    RequestBody.fromString("x")));
            assertThat(winners).isEqualTo(1);
        }
    }

    /** Winners per round when 8 threads write one object with the same If-Match at once. */
    static List<Integer> racingIfMatchWinners(S3Client client, String bucketName, int rounds) throws Exception {
        List<Integer> winners = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String key = "race-" + round;
            client.putObject(b -> b.bucket(bucketName).key(key), RequestBody.fromString("v0"));
            String etag = client.getObject(b -> b.bucket(bucketName).key(key)).response().eTag();
            winners.add(race(8, () -> client.putObject(b -> b.bucket(bucketName).key(key).ifMatch(etag),
                    RequestBody.fromString("v1-" + Thread.currentThread().getName()))));
        }
        return winners;
    }

    /** Runs {@code write} on {@code threads} threads released together; the number that succeeded. */
    private static int race(int threads, Runnable write) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger won = new AtomicInteger();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    write.run();
                    won.incrementAndGet();
                } catch (S3Exception e) {
                    if (e.statusCode() != 412) {
                        unexpected.add(e);
                    }
                } catch (Exception e) {
                    unexpected.add(e);
                }
            }, "racer-" + t);
            thread.start();
            all.add(thread);
        }
        for (Thread thread : all) {
            thread.join(30_000);
        }
        assertThat(unexpected).isEmpty();
        return won.get();
    }

    private static String read(String key) {
        return new String(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), StandardCharsets.UTF_8);
    }
}
