package dev.imagebatch.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Builds input CSVs and parses output CSVs in tests. */
public final class Csv {

    private Csv() {
    }

    /** The lines joined with CRLF, as UTF-8 bytes in a stream. */
    public static InputStream lines(String... lines) {
        return new ByteArrayInputStream((String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a CSV with a header row; returns header plus records. */
    public static Parsed parse(InputStream in) {
        try (CSVParser parser = CSVParser.parse(new InputStreamReader(in, StandardCharsets.UTF_8),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return new Parsed(parser.getHeaderNames(), parser.getRecords());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parsed CSV. */
    public record Parsed(List<String> header, List<CSVRecord> records) {
    }
}
