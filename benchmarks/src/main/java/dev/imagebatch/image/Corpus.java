package dev.imagebatch.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The images of a folder (not its subfolders), read into memory and grouped by input kind. Used
 * by the benchmark and the verification tool; the folder is always given by the caller.
 */
final class Corpus {

    /** The input kinds the benchmark reports separately. */
    enum Kind {
        BASELINE_JPEG, PROGRESSIVE_JPEG, PNG, OTHER
    }

    /** One file: its name, bytes, kind and stored size. */
    record Image(String name, byte[] bytes, Kind kind, int width, int height) {
        double megapixels() {
            return (double) width * height / 1e6;
        }
    }

    private Corpus() {
    }

    /** Every image file in {@code folder}, sorted by name; the size comes from the header. */
    static List<Image> load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("not a folder: " + folder
                    + " (give the image folder with -p dir=... or -Dimagebatch.bench.dir=...)");
        }
        List<Image> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(file);
                ImageFormat format = ImageCodec.sniff(bytes);
                if (!format.isSupported()) {
                    continue;
                }
                int[] size = size(bytes, format);
                images.add(new Image(file.getFileName().toString(), bytes, kindOf(bytes, format), size[0], size[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return images;
    }

    /** The images of one kind. */
    static List<Image> ofKind(List<Image> images, Kind kind) {
        return images.stream().filter(i -> i.kind() == kind).toList();
    }

    static Kind kindOf(byte[] bytes, ImageFormat format) {
        if (format == ImageFormat.PNG) {
            return Kind.PNG;
        }
        if (format != ImageFormat.JPEG) {
            return Kind.OTHER;
        }
        for (JpegSegments.Segment s : JpegSegments.headerSegments(bytes)) {
            if (s.marker() == 0xC0 || s.marker() == 0xC1) {
                return Kind.BASELINE_JPEG;
            }
            if (s.marker() == 0xC2) {
                return Kind.PROGRESSIVE_JPEG;
            }
        }
        return Kind.OTHER;
    }

    private static int[] size(byte[] bytes, ImageFormat format) {
        try (SourceReader reader = SourceReader.open(bytes, format)) {
            return new int[] {reader.width(), reader.height()};
        } catch (Exception e) {
            return new int[] {0, 0};
        }
    }
}
