package dev.imagebatch.s3;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.SubmitOptions;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One instance of {@link ScaleOutTest}: a service sharing work through the S3 server given in its
 * arguments, with short leases. The serving instance also submits a CSV (as an upload would) and
 * writes the request id to {@code <dir>/request-id}. Every instance answers status: when
 * {@code <dir>/ask} names a request, it writes that request's status, as it reads it, to
 * {@code <dir>/status-<instance>}. Runs until killed.
 *
 * <p>Arguments: endpoint, access key, secret key, bucket, key prefix, instance id, directory, and
 * for the serving instance the input CSV path and the webhook URL.
 */
public final class ScaleChild {

    private ScaleChild() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[3];
        String prefix = args[4];
        String instance = args[5];
        Path dir = Path.of(args[6]);
        S3Client s3 = S3TestServer.client(endpoint, args[1], args[2]);
        AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.0/8");
        OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().addressPolicy(loopback).maxAttempts(1).build();
        ImageProcessingService service = ImageProcessingService.builder()
                .statusStore(S3StatusStore.builder(s3, bucket).prefix(prefix).build())
                .resultPublisher(S3ResultPublisher.builder(s3, bucket).prefix(prefix).build())
                .workStore(S3WorkStore.builder(s3, bucket).prefix(prefix).build())
                .imageFetcher(fetcher)
                .webhook(WebhookSettings.builder().addressPolicy(loopback).build())
                .settings(ProcessingSettings.builder().fetchConcurrency(3).workers(1).progressBatchSize(4)
                        .progressInterval(Duration.ofMillis(200)).build())
                .scaleOut(ScaleOutTest.scaleOut(instance))
                .build();
        if (args.length > 7) {
            String id = service.submit(Path.of(args[7]), SubmitOptions.webhook(URI.create(args[8])));
            writeAtomically(dir.resolve("request-id"), id);
        }
        Path ask = dir.resolve("ask");
        Path answer = dir.resolve("status-" + instance);
        while (true) {
            if (Files.exists(ask) && !Files.exists(answer)) {
                String id = Files.readString(ask, StandardCharsets.UTF_8).trim();
                Optional<RequestStatus> status = service.status(id);
                writeAtomically(answer, status.map(ScaleChild::describe).orElse("unknown") + "\n"
                        + service.images(id).size());
            }
            Thread.sleep(50);
        }
    }

    /** The parts of a status every instance must report alike. */
    static String describe(RequestStatus s) {
        return s.state() + " " + s.succeeded() + " " + s.failed() + " " + s.outputCsvUrl().map(URI::toString).orElse("-")
                + " " + s.webhook().state();
    }

    private static void writeAtomically(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
