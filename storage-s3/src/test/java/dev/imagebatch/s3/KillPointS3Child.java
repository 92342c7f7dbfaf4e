package dev.imagebatch.s3;

import dev.imagebatch.reliability.KillPointChild;
import java.net.URI;
import java.util.Arrays;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The process {@link SeededKillTest} kills: {@link KillPointChild} with both stores on the S3
 * server given in its arguments.
 *
 * <p>Arguments: endpoint, access key, secret key, bucket, key prefix, then {@link KillPointChild}'s.
 */
public final class KillPointS3Child {

    private KillPointS3Child() {
    }

    public static void main(String[] args) throws Exception {
        S3Client s3 = S3TestServer.client(URI.create(args[0]), args[1], args[2]);
        String bucket = args[3];
        String prefix = args[4];
        KillPointChild.run(S3StatusStore.builder(s3, bucket).prefix(prefix).build(),
                S3ResultPublisher.builder(s3, bucket).prefix(prefix).build(),
                Arrays.copyOfRange(args, 5, args.length));
    }
}
