package dev.imagebatch.examples.command;

import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.examples.demo.DemoCsv;
import dev.imagebatch.examples.demo.SampleImageServer;
import dev.imagebatch.examples.demo.SampleImages;
import dev.imagebatch.examples.progress.ProgressBarListener;
import dev.imagebatch.examples.wiring.Engine;
import dev.imagebatch.examples.wiring.Storage;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole flow with no network. Sample images are served on loopback, a CSV
 * pointing at them is processed with the filesystem stores, and the results are listed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole flow offline on bundled sample images.", "",
                "Serves sample images (JPEG, PNG with transparency, GIF, BMP, TIFF, WebP) from a server on "
                        + "127.0.0.1, writes a CSV of products pointing at them, processes it into the data directory "
                        + "with a progress bar, and prints where the output CSV and images are. One URL names an "
                        + "image the server does not have, to show how a failed image is reported."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the demo request completed", "3:it did not (an error is printed)"})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "imagebatch-data",
            description = "Directory for the demo's CSV, request records, images and output CSV (default: ${DEFAULT-VALUE}).")
    Path data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path input = data.resolve("demo-products.csv").toAbsolutePath();
        try (SampleImageServer server = SampleImageServer.start(SampleImages.all())) {
            int urls = DemoCsv.write(input, server);
            out.println("Sample image server: " + server.url("") + " (loopback only)");
            out.println("Input CSV:  " + input + " (" + urls + " image URLs)");
            out.flush();
            // The sample server is on loopback, which the default policy refuses; open exactly that.
            AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.0/8");
            OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder().addressPolicy(loopback).build();
            Storage storage;
            try {
                storage = Storage.filesystem(data, Optional.empty());
            } catch (IOException | RuntimeException e) {
                fetcher.close();
                throw e;
            }
            try (ProgressBarListener bar = ProgressBarListener.forStandardError(err, "Images");
                 Engine engine = Engine.start(storage, fetcher, ProcessingSettings.defaults(),
                         WebhookSettings.builder().addressPolicy(loopback).build(), bar)) {
                String id = engine.service().submit(input);
                out.println("Request id: " + id);
                out.flush();
                RequestStatus done = engine.service().await(id).get();
                bar.close();
                List<ImageResult> images = engine.service().images(id);
                report(out, done, images);
                return done.state() == RequestState.COMPLETED || done.state() == RequestState.COMPLETED_WITH_ERRORS
                        ? ExitCodes.OK : ExitCodes.ERROR;
            }
        }
    }

    private void report(PrintWriter out, RequestStatus done, List<ImageResult> images) {
        out.println();
        out.println(done.state() + ": " + done.succeeded() + " of " + done.totalImages() + " images processed, "
                + done.failed() + " failed.");
        for (ImageResult image : images) {
            String name = image.inputUrl().substring(image.inputUrl().lastIndexOf('/') + 1);
            String result = image.outputUrl()
                    .map(url -> Reports.location(url) + size(url))
                    .orElseGet(() -> "failed: " + image.error().orElseThrow().code() + " ("
                            + image.error().orElseThrow().message() + ")"
                            + (name.equals(DemoCsv.MISSING_IMAGE) ? ", on purpose: the server has no such image" : ""));
            out.printf("  row %d, image %d  %-22s -> %s%n", image.row(), image.index(), name, result);
        }
        out.println();
        Path root = data.toAbsolutePath();
        out.println("Output images: " + root.resolve("images").resolve(done.requestId()));
        out.println("Output CSV:    " + done.outputCsvUrl().map(Reports::location).orElse("(none)"));
        out.println("Its status:    java -jar " + jarName() + " status --data " + data + " " + done.requestId());
        out.flush();
    }

    /** How this program was started, for the hint above: the jar's path when run from one. */
    private static String jarName() {
        try {
            Path location = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (location.toString().endsWith(".jar")) {
                Path relative = Path.of("").toAbsolutePath().relativize(location);
                return relative.toString().startsWith("..") ? location.toString() : relative.toString();
            }
        } catch (Exception e) {
            // Not from a jar, or no code source: fall back to the usual name.
        }
        return "imagebatch-examples.jar";
    }

    /** The processed image's size, read from its header: it shows the halving. */
    private static String size(URI url) {
        if (!"file".equalsIgnoreCase(url.getScheme())) {
            return "";
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(Path.of(url).toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return "";
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return " (" + reader.getWidth(0) + "x" + reader.getHeight(0) + ")";
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            return "";
        }
    }
}
