package dev.imagebatch.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Object layout, media types, multipart uploads, URL modes and failures, against the S3 test server. */
class S3ResultPublisherTest {

    private static S3TestServer server;
    private static S3Client s3;
    private static S3Presigner presigner;
    private static final OkHttpClient HTTP = new OkHttpClient();

    private final String requestId = UUID.randomUUID().toString();
    private String bucket;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.shared();
        s3 = server.admin();
        presigner = server.presigner();
    }

    @AfterAll
    static void closePresigner() {
        presigner.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = server.newBucket();
    }

    @Test
    void storesUnderThePrefixWithTheContentType() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).prefix("tenant-a/imagebatch").build();
        String image = ObjectKeys.image(requestId, 3, 2, "jpg");
        String csv = ObjectKeys.outputCsv(requestId);
        URI imageUrl = publisher.publish(image, ObjectContent.ofBytes(new byte[] {1, 2, 3}, "image/jpeg"));
        publisher.publish(csv, ObjectContent.ofBytes("a,b\n".getBytes(StandardCharsets.UTF_8), "text/csv; charset=utf-8"));

        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactlyInAnyOrder("tenant-a/imagebatch/" + image, "tenant-a/imagebatch/" + csv);
        assertThat(head("tenant-a/imagebatch/" + image).contentType()).isEqualTo("image/jpeg");
        assertThat(head("tenant-a/imagebatch/" + csv).contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(imageUrl).isEqualTo(URI.create("s3://" + bucket + "/tenant-a/imagebatch/" + image));
    }

    @Test
    void republishingReplacesTheObjectAndItsContentType() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).build();
        String key = ObjectKeys.inputCsv(requestId);
        publisher.publish(key, ObjectContent.ofBytes(new byte[] {1}, "application/octet-stream"));
        publisher.publish(key, ObjectContent.ofBytes(new byte[] {2, 2}, "text/csv; charset=utf-8"));
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).hasSize(1);
        assertThat(head(key).contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(head(key).contentLength()).isEqualTo(2);
    }

    @Test
    void largeFilesGoUpInPartsAndReadBackWhole() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).prefix("p")
                .multipartThreshold(5L * 1024 * 1024).partSize(5L * 1024 * 1024).build();
        Path file = temp.resolve("big.csv");
        byte[] bytes = randomBytes(11 * 1024 * 1024 + 123, 7);
        Files.write(file, bytes);
        String key = ObjectKeys.outputCsv(requestId);

        publisher.publish(key, ObjectContent.ofFile(file, "text/csv; charset=utf-8"));

        HeadObjectResponse head = head("p/" + key);
        // S3 (and this server) give a multipart object an ETag ending in "-<parts>".
        assertThat(head.eTag().replace("\"", "")).endsWith("-3");
        assertThat(head.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(head.contentLength()).isEqualTo(bytes.length);
        try (InputStream in = publisher.open(key).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void uploadsStreamFromTheFileWithoutHoldingItInMemory() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket)
                .multipartThreshold(8L * 1024 * 1024).partSize(5L * 1024 * 1024).build();
        int size = 40 * 1024 * 1024;
        Path file = temp.resolve("large.csv");
        try (var out = Files.newOutputStream(file)) {
            byte[] chunk = randomBytes(1024 * 1024, 11);
            for (int i = 0; i < size / chunk.length; i++) {
                out.write(chunk);
            }
        }
        Path small = temp.resolve("medium.csv");
        Files.write(small, randomBytes(7 * 1024 * 1024, 12));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(thread);
        publisher.publish(ObjectKeys.outputCsv(requestId), ObjectContent.ofFile(file, "text/csv; charset=utf-8"));
        long multipart = threads.getThreadAllocatedBytes(thread) - before;
        before = threads.getThreadAllocatedBytes(thread);
        publisher.publish(ObjectKeys.inputCsv(requestId), ObjectContent.ofFile(small, "text/csv; charset=utf-8"));
        long single = threads.getThreadAllocatedBytes(thread) - before;

        // The sync client sends on the calling thread, so a copy of the file in memory would show
        // up here as at least the file's size in allocations.
        assertThat(multipart).as("bytes allocated uploading %d bytes in parts", size).isLessThan(size / 4);
        assertThat(single).as("bytes allocated uploading 7 MiB in one put").isLessThan(7L * 1024 * 1024 / 2);
        assertThat(head(ObjectKeys.outputCsv(requestId)).contentLength()).isEqualTo(size);
        assertThat(head(ObjectKeys.inputCsv(requestId)).contentLength()).isEqualTo(7L * 1024 * 1024);
    }

    @Test
    void smallContentGoesUpInOnePut() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).build();
        Path file = temp.resolve("small.csv");
        Files.write(file, randomBytes(1024 * 1024, 3));
        String key = ObjectKeys.outputCsv(requestId);
        publisher.publish(key, ObjectContent.ofFile(file, "text/csv; charset=utf-8"));
        assertThat(head(key).eTag()).doesNotContain("-");
    }

    @Test
    void aFailedMultipartUploadIsAbortedAndLeavesThePreviousObject() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket)
                .multipartThreshold(5L * 1024 * 1024).partSize(5L * 1024 * 1024).build();
        String key = ObjectKeys.outputCsv(requestId);
        publisher.publish(key, ObjectContent.ofBytes("previous".getBytes(StandardCharsets.UTF_8), "text/csv; charset=utf-8"));
        Path file = temp.resolve("shrinking.csv");
        Files.write(file, randomBytes(12 * 1024 * 1024, 9));
        ObjectContent content = ObjectContent.ofFile(file, "text/csv; charset=utf-8");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(6 * 1024 * 1024); // the second part can no longer be read in full
        }

        assertThatThrownBy(() -> publisher.publish(key, content))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("s3://" + bucket + "/" + key);

        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        try (InputStream in = publisher.open(key).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("previous");
        }
    }

    @Test
    void publicBaseUrlModeAnswersBasePlusObjectKey() throws Exception {
        String publicBucket = server.newPublicBucket();
        URI base = URI.create(server.endpoint() + "/" + publicBucket);
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, publicBucket).prefix("p/").publicBaseUrl(base).build();
        String key = ObjectKeys.image(requestId, 1, 1, "jpg");
        byte[] bytes = randomBytes(5000, 1);

        URI url = publisher.publish(key, ObjectContent.ofBytes(bytes, "image/jpeg"));

        assertThat(url).isEqualTo(URI.create(server.endpoint() + "/" + publicBucket + "/p/" + key));
        try (Response response = HTTP.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("image/jpeg");
            assertThat(response.body().bytes()).isEqualTo(bytes);
        }
        assertThat(publisher.toString()).contains(publicBucket).doesNotContain(S3TestServer.SECRET_KEY);
    }

    @Test
    void presignedModeAnswersAUrlThatWorksWithoutCredentialsAndIsNeverPrinted() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).prefix("p/")
                .presignedUrls(presigner, Duration.ofMinutes(10)).build();
        String key = ObjectKeys.image(requestId, 1, 1, "jpg");
        byte[] bytes = randomBytes(5000, 2);

        URI url = publisher.publish(key, ObjectContent.ofBytes(bytes, "image/jpeg"));

        assertThat(url.getRawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=600");
        assertThat(url.getRawPath()).isEqualTo("/" + bucket + "/p/" + key);
        try (Response response = HTTP.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().bytes()).isEqualTo(bytes);
        }
        // The bucket is private: the same URL without its signature is refused.
        String unsigned = server.endpoint() + url.getRawPath();
        try (Response response = HTTP.newCall(new Request.Builder().url(unsigned).build()).execute()) {
            assertThat(response.code()).isEqualTo(403);
        }
        assertThat(publisher.toString()).doesNotContain("?").doesNotContain("X-Amz").contains("presigned for PT10M");
    }

    @Test
    void presignedUrlsExpire() throws Exception {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).presignedUrls(presigner, Duration.ofSeconds(1)).build();
        URI url = publisher.publish(ObjectKeys.image(requestId, 1, 1, "jpg"), ObjectContent.ofBytes(new byte[] {1}, "image/jpeg"));
        Thread.sleep(2_100);
        try (Response response = HTTP.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
            assertThat(response.code()).isEqualTo(403);
        }
    }

    @Test
    void aRefusedCallIsAnIOExceptionNamingBucketKeyAndStatus() throws Exception {
        try (S3Client wrongSecret = S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(S3TestServer.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, "not-the-secret")))
                .forcePathStyle(true)
                .build()) {
            S3ResultPublisher publisher = S3ResultPublisher.builder(wrongSecret, bucket).prefix("p").build();
            String key = ObjectKeys.image(requestId, 1, 1, "jpg");
            assertThatThrownBy(() -> publisher.publish(key, ObjectContent.ofBytes(new byte[] {1}, "image/jpeg")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + bucket + "/p/" + key)
                    .hasMessageContaining("HTTP 403")
                    .hasCauseInstanceOf(S3Exception.class);
            assertThatThrownBy(() -> publisher.open(key))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + bucket + "/p/" + key);
        }
    }

    @Test
    void openOfAMissingBucketIsAFailureNotAbsence() {
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, "missing-" + requestId.substring(0, 8)).build();
        assertThatThrownBy(() -> publisher.open(ObjectKeys.outputCsv(requestId)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("s3://missing-" + requestId.substring(0, 8) + "/")
                .hasMessageContaining("NoSuchBucket");
    }

    @Test
    void anUnreachableServerIsAnIOExceptionWithTheCause() throws Exception {
        try (S3Client dead = S3TestServer.client(URI.create("http://127.0.0.1:" + closedPort()))) {
            S3ResultPublisher publisher = S3ResultPublisher.builder(dead, bucket).build();
            String key = ObjectKeys.image(requestId, 1, 1, "jpg");
            long start = System.nanoTime();
            assertThatThrownBy(() -> publisher.publish(key, ObjectContent.ofBytes(new byte[] {1}, "image/jpeg")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + bucket + "/" + key)
                    .hasCauseInstanceOf(SdkClientException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void refusesABadKeyBeforeAskingTheServer() throws Exception {
        try (S3Client dead = S3TestServer.client(URI.create("http://127.0.0.1:" + closedPort()))) {
            S3ResultPublisher publisher = S3ResultPublisher.builder(dead, bucket).build();
            assertThatThrownBy(() -> publisher.publish("../x.jpg", ObjectContent.ofBytes(new byte[] {1}, "image/jpeg")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void builderChecksItsSettings() {
        assertThatThrownBy(() -> S3ResultPublisher.builder(s3, "a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ResultPublisher.builder(s3, bucket).prefix("/abs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ResultPublisher.builder(s3, bucket).prefix("a/../b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ResultPublisher.builder(s3, bucket).publicBaseUrl(URI.create("https://cdn.example/x?sig=1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ResultPublisher.builder(s3, bucket).publicBaseUrl(URI.create("ftp://cdn.example/")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ResultPublisher.builder(s3, bucket).presignedUrls(presigner, Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ResultPublisher.builder(s3, bucket).partSize(1024 * 1024))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ResultPublisher.builder(s3, bucket).publicBaseUrl(URI.create("https://cdn.example"))
                .presignedUrls(presigner, Duration.ofHours(1)).build())
                .isInstanceOf(IllegalStateException.class);
        assertThat(S3ResultPublisher.builder(s3, bucket).prefix("a/b/").publicBaseUrl(URI.create("https://cdn.example/img")).build())
                .hasToString("S3ResultPublisher[bucket=" + bucket + ", prefix=a/b/, urls=public https://cdn.example/img/]");
    }

    private HeadObjectResponse head(String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key));
    }

    static int closedPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
