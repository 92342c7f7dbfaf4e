package dev.imagebatch.s3;

import dev.imagebatch.reliability.KillPoint;
import dev.imagebatch.reliability.KillScenario;
import dev.imagebatch.reliability.KillScenario.KillPlan;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * SIGKILL at seeded points across fetch, encode, publish, CSV write and webhook delivery, with both
 * stores on S3 (S3Proxy in this JVM, the child talking to it over loopback), then
 * {@code resumeUnfinished()} in a fresh service: see {@link KillScenario} for what is checked. The
 * normal run covers every {@link KillPoint} once (seeds 1 to 11); the {@code reliability-long}
 * profile runs {@code imagebatch.killSeeds} seeds.
 */
@EnabledOnOs(OS.LINUX)
class SeededKillTest {

    private static final String PREFIX = "kill/";

    @TempDir
    Path temp;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.imagebatch.reliability.KillScenario#seeds")
    void everyAcceptedRequestCompletesAfterAKillAtTheSeededPoint(long seed) throws Exception {
        S3TestServer server = S3TestServer.shared();
        try (KillScenario scenario = new KillScenario(KillPlan.of(seed))) {
            KillScenario.Outcome outcome = scenario.run(temp, new BucketStorage(server, server.admin(), server.newBucket()));
            System.out.println("s3 kill: " + outcome);
        }
    }

    /** A bucket as {@link KillScenario} sees it. */
    private record BucketStorage(S3TestServer server, S3Client s3, String bucket) implements KillScenario.Storage {

        @Override
        public List<String> childCommand() {
            return List.of(KillPointS3Child.class.getName(), server.endpoint().toString(),
                    S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, bucket, PREFIX);
        }

        @Override
        public StatusStore openStore() {
            return S3StatusStore.builder(s3, bucket).prefix(PREFIX).build();
        }

        @Override
        public ResultPublisher publisher() {
            return S3ResultPublisher.builder(s3, bucket).prefix(PREFIX).build();
        }

        @Override
        public String keyOf(URI outputUrl) {
            String base = "s3://" + bucket + "/" + PREFIX;
            if (!outputUrl.toString().startsWith(base)) {
                throw new AssertionError(outputUrl + " is not under " + base);
            }
            return outputUrl.toString().substring(base.length());
        }

        @Override
        public Set<String> keysUnder(String keyPrefix) {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX + keyPrefix)).contents().stream()
                    .map(S3Object::key)
                    .map(key -> key.substring(PREFIX.length()))
                    .collect(Collectors.toSet());
        }

        /** Multipart uploads started and never completed or aborted. */
        @Override
        public List<String> temporaryLeftovers() {
            return s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                    .map(upload -> upload.key() + " (upload " + upload.uploadId() + ")")
                    .toList();
        }
    }
}
