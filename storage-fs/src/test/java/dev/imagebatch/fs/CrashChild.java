package dev.imagebatch.fs;

import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.nio.file.Path;

/**
 * The process {@link CrashResumeTest} kills: wires a service on file storage in a data directory,
 * submits a CSV, prints the request id on stdout and keeps processing until it is killed. It exits
 * by itself when its stdin closes (the test JVM went away) so it never outlives a test run.
 *
 * <p>Arguments: {@code <data dir> <csv file>}.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path csv = Path.of(args[1]);
        FileStatusStore store = FileStatusStore.open(root);
        FileResultPublisher publisher = FileResultPublisher.create(root);
        OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder()
                .addressPolicy(AddressPolicy.publicOnly().allow("127.0.0.0/8"))
                .build();
        ImageProcessingService service = ImageProcessingService.builder()
                .statusStore(store)
                .resultPublisher(publisher)
                .imageFetcher(fetcher)
                .settings(ProcessingSettings.builder()
                        .fetchConcurrency(3)
                        .workers(1)
                        .progressBatchSize(1)
                        .build())
                .build();
        String id = service.submit(csv);
        System.out.println(id);
        System.out.flush();
        while (System.in.read() != -1) {
            // Wait to be killed; end of input means the parent is gone.
        }
        System.exit(3);
    }
}
