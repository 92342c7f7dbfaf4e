package dev.imagebatch.s3;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The process {@link S3CrashResumeTest} kills: wires a service with both stores on the S3 server
 * given in its arguments, submits a CSV, writes the request id to a file, and works until it is
 * killed.
 *
 * <p>Arguments: endpoint, access key, secret key, bucket, key prefix, input CSV path, id file path.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[3];
        String prefix = args[4];
        Path csv = Path.of(args[5]);
        Path idFile = Path.of(args[6]);
        S3Client s3 = S3TestServer.client(endpoint, args[1], args[2]);
        OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder()
                .addressPolicy(AddressPolicy.publicOnly().allow("127.0.0.0/8"))
                .maxAttempts(1)
                .build();
        ImageProcessingService service = ImageProcessingService.builder()
                .statusStore(S3StatusStore.builder(s3, bucket).prefix(prefix).build())
                .resultPublisher(S3ResultPublisher.builder(s3, bucket).prefix(prefix).build())
                .imageFetcher(fetcher)
                .settings(ProcessingSettings.builder().fetchConcurrency(2).workers(1).progressBatchSize(1).build())
                .build();
        String id = service.submit(csv);
        Path tmp = idFile.resolveSibling(idFile.getFileName() + ".tmp");
        Files.writeString(tmp, id, StandardCharsets.UTF_8);
        Files.move(tmp, idFile, StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(Long.MAX_VALUE); // until killed
    }
}
