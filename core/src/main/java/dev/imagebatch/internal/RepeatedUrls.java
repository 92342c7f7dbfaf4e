package dev.imagebatch.internal;

import dev.imagebatch.csv.CsvRowReader;
import dev.imagebatch.csv.InputCsv;
import dev.imagebatch.spi.ResultPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;

/**
 * The URLs that occur more than once in a request's input, as 64-bit hashes. The engine remembers
 * the outcome of a URL for the rest of the request only when it is one of these, so its memory
 * grows with the repeated URLs, not with every image of the request.
 *
 * <p>Found by one pass over the stored input that keeps one {@code long} per image while it runs (8
 * bytes each, freed at once), then only the repeated hashes. Two different URLs may share a hash;
 * that only makes the engine remember one outcome it did not need to: correctness never depends on
 * the hash, since outcomes are kept by the URL itself.
 */
final class RepeatedUrls {

    private final long[] sortedHashes;

    private RepeatedUrls(long[] sortedHashes) {
        this.sortedHashes = sortedHashes;
    }

    /** Reads the stored input of {@code requestId} once. */
    static RepeatedUrls of(ResultPublisher publisher, String requestId) throws IOException {
        long[] hashes = new long[1024];
        int count = 0;
        try (InputStream in = RequestInput.open(publisher, requestId); CsvRowReader rows = InputCsv.open(in)) {
            while (rows.hasNext()) {
                for (URI url : rows.next().imageUrls()) {
                    if (count == hashes.length) {
                        hashes = Arrays.copyOf(hashes, count * 2);
                    }
                    hashes[count++] = hash(url.toString());
                }
            }
        }
        return of(hashes, count);
    }

    /** The repeated values among the first {@code count} of {@code hashes} (which it sorts). */
    static RepeatedUrls of(long[] hashes, int count) {
        Arrays.sort(hashes, 0, count);
        long[] repeated = new long[0];
        int found = 0;
        for (int i = 1; i < count; i++) {
            if (hashes[i] == hashes[i - 1] && (found == 0 || repeated[found - 1] != hashes[i])) {
                if (found == repeated.length) {
                    repeated = Arrays.copyOf(repeated, Math.max(16, found * 2));
                }
                repeated[found++] = hashes[i];
            }
        }
        return new RepeatedUrls(Arrays.copyOf(repeated, found));
    }

    /** Whether {@code url} (probably) occurs more than once; never false for a repeated URL. */
    boolean contains(String url) {
        return sortedHashes.length > 0 && Arrays.binarySearch(sortedHashes, hash(url)) >= 0;
    }

    /** How many distinct hashes repeat. */
    int size() {
        return sortedHashes.length;
    }

    /** 64-bit FNV-1a over the URL's UTF-16 code units. */
    static long hash(String url) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < url.length(); i++) {
            h ^= url.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
