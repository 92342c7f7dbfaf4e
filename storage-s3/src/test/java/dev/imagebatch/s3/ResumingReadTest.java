package dev.imagebatch.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * A download that breaks part way is resumed where it broke, from the same object version only.
 * The server is restarted under a half-read stream, which drops its connection.
 */
class ResumingReadTest {

    /**
     * Larger than what loopback socket buffers can hold (a few MiB each side with autotuning): a
     * smaller object may sit wholly in the buffers by the time the server stops, and the read then
     * never breaks.
     */
    private static final int OBJECT_SIZE = 24 * 1024 * 1024;

    private S3TestServer server;
    private S3Client s3;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private String bucket;
    private final String key = ObjectKeys.outputCsv(UUID.randomUUID().toString());

    @BeforeEach
    void start() throws Exception {
        server = S3TestServer.start();
        bucket = server.newBucket();
        s3 = S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(S3TestServer.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).chunkedEncodingEnabled(false).build())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof GetObjectRequest get) {
                            ranges.add(String.valueOf(get.range()));
                        }
                    }
                }))
                .build();
    }

    @AfterEach
    void stop() {
        s3.close();
        server.close();
    }

    @Test
    void aBrokenDownloadContinuesWhereItBroke() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).build();
        byte[] bytes = randomBytes(OBJECT_SIZE);
        publisher.publish(key, ObjectContent.ofBytes(bytes, "text/csv; charset=utf-8"));

        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (InputStream in = publisher.open(key).orElseThrow()) {
            read.write(in.readNBytes(64 * 1024));
            server.stop();
            server.restart();
            in.transferTo(read);
        }

        assertThat(read.toByteArray()).isEqualTo(bytes);
        assertThat(ranges).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ranges.get(0)).isEqualTo("null");
        assertThat(ranges.subList(1, ranges.size())).allMatch(r -> r.matches("bytes=\\d+-"));
    }

    @Test
    void aReplacedObjectIsNotStitchedToTheOldOne() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).build();
        publisher.publish(key, ObjectContent.ofBytes(randomBytes(OBJECT_SIZE), "text/csv; charset=utf-8"));

        try (InputStream in = publisher.open(key).orElseThrow()) {
            in.readNBytes(64 * 1024);
            publisher.publish(key, ObjectContent.ofBytes(new byte[] {1, 2, 3}, "text/csv; charset=utf-8"));
            server.stop();
            server.restart();
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + bucket + "/" + key)
                    .hasMessageContaining("replaced");
        }
    }

    @Test
    void aLastingOutageEndsTheReadWithAnIOExceptionAfterAFewTries() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).build();
        publisher.publish(key, ObjectContent.ofBytes(randomBytes(OBJECT_SIZE), "text/csv; charset=utf-8"));

        try (InputStream in = publisher.open(key).orElseThrow()) {
            in.readNBytes(64 * 1024);
            server.stop();
            long start = System.nanoTime();
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + bucket + "/" + key)
                    .hasMessageContaining("3 attempt(s) to resume");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(5).nextBytes(bytes);
        return bytes;
    }
}
