package dev.imagebatch.image;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * CPU time of the half-size JPEG decoder alone (no orientation, no encoding), per JPEG kind, in
 * one thread: the part of the image step where baseline and progressive files differ. Per file
 * the median of several passes after warm-up passes; the working arrays are reused as in a
 * worker thread.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.imagebatch.image.DecodeReport DIR [--passes N] [--warmup N]
 * </pre>
 */
public final class DecodeReport {

    private DecodeReport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DecodeReport DIR [--passes N] [--warmup N]");
            System.exit(2);
        }
        int passes = 9;
        int warmup = 3;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Corpus.Image> images = Corpus.load(Path.of(args[0])).stream()
                .filter(image -> image.kind() == Corpus.Kind.BASELINE_JPEG || image.kind() == Corpus.Kind.PROGRESSIVE_JPEG)
                .toList();
        double[] seconds = medianCpuSeconds(images, warmup, passes);
        System.out.printf(Locale.ROOT, "Half-size JPEG decoding alone, one thread: per file the median CPU time of %d passes"
                + " (after %d warm-up passes)%n%n", passes, warmup);
        System.out.println("| file | kind | MP | KB/MP | CPU ms/MP |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (int i = 0; i < images.size(); i++) {
            Corpus.Image image = images.get(i);
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.0f | %.2f |%n", image.name(), image.kind(),
                    image.megapixels(), image.bytes().length / 1024.0 / image.megapixels(),
                    seconds[i] * 1e3 / image.megapixels());
        }
        System.out.println();
        System.out.println("| kind | files | MP | CPU ms/MP |");
        System.out.println("| --- | --- | --- | --- |");
        double[] perMp = new double[2];
        for (Corpus.Kind kind : new Corpus.Kind[] {Corpus.Kind.BASELINE_JPEG, Corpus.Kind.PROGRESSIVE_JPEG}) {
            double mp = 0;
            double cpu = 0;
            int files = 0;
            for (int i = 0; i < images.size(); i++) {
                if (images.get(i).kind() == kind) {
                    mp += images.get(i).megapixels();
                    cpu += seconds[i];
                    files++;
                }
            }
            perMp[kind == Corpus.Kind.BASELINE_JPEG ? 0 : 1] = mp > 0 ? cpu * 1e3 / mp : Double.NaN;
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.2f |%n", kind, files, mp, mp > 0 ? cpu * 1e3 / mp : Double.NaN);
        }
        System.out.printf(Locale.ROOT, "%nProgressive / baseline JPEG decoding CPU time per MP: %.2f%n", perMp[1] / perMp[0]);
    }

    private static double[] medianCpuSeconds(List<Corpus.Image> images, int warmup, int passes) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] samples = new double[images.size()][passes];
        for (int p = -warmup; p < passes; p++) {
            for (int i = 0; i < images.size(); i++) {
                long start = threads.getCurrentThreadCpuTime();
                try (ScratchBuffers scratch = ScratchBuffers.lease(ImageSettings.DEFAULT_RETAINED_BYTES_PER_THREAD)) {
                    JpegHalfDecoder.open(images.get(i).bytes()).decode(ImageSettings.DEFAULT_MAX_PIXELS, scratch);
                }
                if (p >= 0) {
                    samples[i][p] = (threads.getCurrentThreadCpuTime() - start) / 1e9;
                }
            }
        }
        double[] medians = new double[images.size()];
        for (int i = 0; i < images.size(); i++) {
            medians[i] = CorpusReport.median(samples[i]);
        }
        return medians;
    }
}
