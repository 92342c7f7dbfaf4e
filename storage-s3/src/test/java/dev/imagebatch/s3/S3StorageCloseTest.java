package dev.imagebatch.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.reliability.CloseCheck;
import dev.imagebatch.reliability.Leftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A service on S3 storage, closed together with the host's S3 client, leaves no thread, open file
 * or socket. The S3 server runs in this JVM, so its side of each connection is counted too, and
 * must close when the client's does.
 */
class S3StorageCloseTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void closeLeavesNoThreadsFilesOrSockets() throws Exception {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.newBucket();
        Leftovers.Found left = CloseCheck.run(() -> {
            S3Client s3 = server.client();
            return CloseCheck.Storage.of(S3StatusStore.builder(s3, bucket).prefix("close/").build(),
                    S3ResultPublisher.builder(s3, bucket).prefix("close/").build(), s3);
        }, Leftovers.JVM_WIDE);

        assertThat(left.threads()).isEmpty();
        assertThat(left.files()).isNotPositive();
        assertThat(left.sockets()).isNotPositive();
    }
}
