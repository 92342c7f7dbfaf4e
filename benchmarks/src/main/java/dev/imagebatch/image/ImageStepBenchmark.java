package dev.imagebatch.image;

import dev.imagebatch.spi.ImageFailureException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The image step (decode, turn upright, halve, encode JPEG q50: {@link ImageCodec#process}) on
 * one thread, per input kind, over the images of a folder. One operation processes one image;
 * successive operations cycle through the images of the kind, so the average time per operation
 * is the time per image and {@code -prof gc}'s {@code gc.alloc.rate.norm} the bytes allocated per
 * image.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ImageStepBenchmark -p dir=/path/to/images -prof gc
 * </pre>
 *
 * {@code path=auto} is the codec as shipped (JPEGs decoded at half size where possible),
 * {@code path=imageio} forces the general ImageIO path, for before/after ratios in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
public class ImageStepBenchmark {

    /** The image folder; empty means the system property {@code imagebatch.bench.dir}. */
    @Param({""})
    public String dir;

    @Param({"BASELINE_JPEG", "PROGRESSIVE_JPEG", "PNG"})
    public String kind;

    @Param({"auto", "imageio"})
    public String path;

    private ImageCodec codec;
    private List<Corpus.Image> images;
    private int next;

    @Setup
    public void setup() {
        String folder = dir.isEmpty() ? System.getProperty("imagebatch.bench.dir", "") : dir;
        if (folder.isEmpty()) {
            throw new IllegalArgumentException("no image folder: pass -p dir=... or -Dimagebatch.bench.dir=...");
        }
        images = Corpus.ofKind(Corpus.load(Path.of(folder)), Corpus.Kind.valueOf(kind));
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no " + kind + " image in " + folder);
        }
        codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults(), !path.equals("imageio"));
        double megapixels = images.stream().mapToDouble(Corpus.Image::megapixels).sum();
        System.err.printf("%s: %d images, %.1f MP (%.2f MP per image)%n", kind, images.size(), megapixels,
                megapixels / images.size());
    }

    /** Processes the next image of the kind. */
    @Benchmark
    public ProcessedImage processOneImage() throws ImageFailureException {
        Corpus.Image image = images.get(next);
        next = (next + 1) % images.size();
        return codec.process(image.bytes());
    }
}
