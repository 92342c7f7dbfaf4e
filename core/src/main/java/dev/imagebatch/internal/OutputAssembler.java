package dev.imagebatch.internal;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import dev.imagebatch.csv.CsvRowReader;
import dev.imagebatch.csv.InputCsv;
import dev.imagebatch.csv.InputRow;
import dev.imagebatch.csv.OutputCsvWriter;
import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a request's output CSV: the input re-read row by row, each row followed by its output
 * URLs taken from the stored image results, spooled to a temporary file and published from there.
 *
 * <p>A process killed while it holds a spool cannot delete it, so spool names carry the request
 * id and the writing process's id, and assembling a request first deletes that request's spools
 * whose process is gone (a resume on the same host thus leaves no orphan).
 */
final class OutputAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(OutputAssembler.class);
    private static final String SPOOL_PREFIX = "imagebatch-";
    private static final Pattern SPOOL_PID = Pattern.compile(".*\\.p(\\d+)-[^.]+\\.csv");

    /** What was published, with the counts derived from the stored results. */
    record Assembled(URI csvUrl, int succeeded, int failed) {
    }

    private final StatusStore store;
    private final ResultPublisher publisher;
    private final boolean neutralizeFormulas;

    OutputAssembler(StatusStore store, ResultPublisher publisher, boolean neutralizeFormulas) {
        this.store = store;
        this.publisher = publisher;
        this.neutralizeFormulas = neutralizeFormulas;
    }

    /** Assembles from the results in the status store. */
    Assembled assemble(String requestId) throws IOException {
        Map<Long, ImageResult> results = new HashMap<>();
        for (ImageResult result : store.images(requestId)) {
            results.put(Positions.of(result.row(), result.index()), result);
        }
        return assemble(requestId, results);
    }

    /**
     * Assembles from {@code results}, keyed by {@link Positions#of}; an image without one is recorded
     * in the status store as an {@code INTERNAL} failure.
     */
    Assembled assemble(String requestId, Map<Long, ImageResult> results) throws IOException {
        List<ImageResult> missing = new ArrayList<>();
        int succeeded = 0;
        int failed = 0;
        deleteSpoolsOfDeadProcesses(requestId);
        String owner = ".p" + ProcessHandle.current().pid() + "-";
        Path spool = Files.createTempFile(SPOOL_PREFIX + requestId + owner, ".csv");
        try {
            try (InputStream in = RequestInput.open(publisher, requestId);
                 CsvRowReader rows = InputCsv.open(in);
                 OutputStream out = Files.newOutputStream(spool);
                 OutputCsvWriter writer = OutputCsvWriter.open(out, rows.header(), neutralizeFormulas)) {
                while (rows.hasNext()) {
                    InputRow row = rows.next();
                    List<String> outputs = new ArrayList<>(row.imageUrls().size());
                    for (int i = 0; i < row.imageUrls().size(); i++) {
                        ImageResult result = results.get(Positions.of(row.rowNumber(), i + 1));
                        if (result == null) {
                            // Cannot happen unless the store lost a write; say so rather than guess.
                            result = ImageResult.failure(row.rowNumber(), i + 1, row.imageUrls().get(i).toString(),
                                    ImageError.of(ErrorCode.INTERNAL, "no result was recorded for this image"));
                            missing.add(result);
                        }
                        if (result.succeeded()) {
                            succeeded++;
                        } else {
                            failed++;
                        }
                        outputs.add(result.outputUrl().map(URI::toString).orElse(""));
                    }
                    writer.writeRow(row, outputs);
                }
            }
            if (!missing.isEmpty()) {
                store.putImages(requestId, missing);
            }
            URI url = publisher.publish(ObjectKeys.outputCsv(requestId),
                    ObjectContent.ofFile(spool, "text/csv; charset=utf-8"));
            return new Assembled(url, succeeded, failed);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static void deleteSpoolsOfDeadProcesses(String requestId) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> spools = Files.newDirectoryStream(dir, SPOOL_PREFIX + requestId + ".p*.csv")) {
            for (Path spool : spools) {
                Matcher m = SPOOL_PID.matcher(spool.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)) {
                    Files.deleteIfExists(spool);
                    LOG.debug("Deleted {}, left by a process that died while writing the output CSV", spool);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not look for spools of request {} left by dead processes: {}", requestId, e.toString());
        }
    }
}
