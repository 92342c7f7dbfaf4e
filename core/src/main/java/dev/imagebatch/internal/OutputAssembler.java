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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a request's output CSV: the input re-read row by row, each row followed by its output
 * URLs taken from the stored image results, spooled to a temporary file and published from there.
 */
final class OutputAssembler {

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
        Path spool = Files.createTempFile("imagebatch-" + requestId + "-", ".csv");
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
}
