package dev.imagebatch.examples.command;

import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.examples.bench.BenchRun;
import dev.imagebatch.examples.bench.BenchRun.Report;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the end-to-end benchmark. Serves a folder of images (or generated ones) from a
 * loopback server in this JVM, processes a CSV of them with the filesystem stores, and prints
 * throughput, CPU per image, memory and whether each URL was fetched once.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure one request end to end against a loopback image server.", "",
                "Prints images/s, input MP/s, CPU seconds per image (process CPU minus the image server's "
                        + "threads), peak heap, peak RSS, the time submit() took, and whether every distinct URL "
                        + "was fetched and encoded once. Compare with a reference measured in the same session."})
public final class BenchCommand implements Callable<Integer> {

    /** Where the images come from. */
    static final class Source {
        @Option(names = "--images", paramLabel = "DIR", description = "Serve every .jpg/.png in DIR.")
        Path folder;

        @Option(names = "--generated", paramLabel = "N",
                description = "Serve N generated JPEGs of --generated-size (for engine and memory runs).")
        Integer generated;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--generated-size", paramLabel = "WxH", defaultValue = "64x48",
            description = "Size of generated images (default: ${DEFAULT-VALUE}).")
    String generatedSize;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "30", description = "Rows in the CSV (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--per-row", paramLabel = "N", defaultValue = "3", description = "URLs per row (default: ${DEFAULT-VALUE}).")
    int perRow;

    @Option(names = "--repeat", description = "The same URLs in every row (as in the original's sample) instead of distinct ones.")
    boolean repeat;

    @Option(names = "--fetch-concurrency", paramLabel = "N", description = "Downloads in flight (default: 16).")
    Integer fetchConcurrency;

    @Option(names = "--workers", paramLabel = "N", description = "Images encoded at once (default: cores).")
    Integer workers;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "3",
            description = "Requests run one after another, each with its own URLs; the median is over these (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "Requests run first to warm up the JIT, shown but left out of the median (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--heap-at-rows", paramLabel = "N", split = ",",
            description = "Report the heap after a full GC when this many rows' images are done (e.g. 1000,5000,10000).")
    List<Integer> heapAtRows = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory for the stores (default: a temporary one, deleted afterwards).")
    Path data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ProcessingSettings.Builder settings = ProcessingSettings.builder();
        if (fetchConcurrency != null) {
            settings.fetchConcurrency(fetchConcurrency);
        }
        if (workers != null) {
            settings.workers(workers);
        }
        if (passes < 1 || warmup < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--passes must be at least 1 and --warmup at least 0");
        }
        String[] size = generatedSize.split("x");
        if (size.length != 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--generated-size must look like 64x48");
        }
        BenchRun run = new BenchRun(new BenchRun.Settings(source.folder, source.generated, Integer.parseInt(size[0]),
                Integer.parseInt(size[1]), rows, perRow, repeat, warmup, passes, settings.build(), heapAtRows, data));
        Report report = run.execute();
        report.print(out);
        out.flush();
        return report.allFetchedOnce() ? ExitCodes.OK : ExitCodes.ERROR;
    }
}
