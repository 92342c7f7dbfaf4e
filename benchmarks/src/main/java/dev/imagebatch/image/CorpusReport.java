package dev.imagebatch.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Verification and timing over an image folder, in one thread:
 *
 * <ul>
 *   <li>per file: whether the half-size JPEG decoder took it, the PSNR of its half-size result
 *       against a high-quality half-size reference (ImageIO full decode, exact 2x2 box mean in
 *       double precision), the PSNR of the codec's final JPEG against the same reference, its
 *       size, and the same for a reference tool's output files if given;</li>
 *   <li>per input kind: CPU seconds per image and megapixels per CPU second, for the codec as
 *       shipped and for the general ImageIO path, medians over several passes.</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.imagebatch.image.CorpusReport DIR [--reference-out DIR] [--passes N]
 * </pre>
 *
 * {@code --reference-out} is a folder holding the reference tool's output for each input, as
 * {@code <input name without extension>.jpg} (what {@code core_pil.py --out} writes). Its images
 * may be one pixel smaller on odd sides (it rounds down); PSNR is then taken over the common area.
 */
public final class CorpusReport {

    private CorpusReport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CorpusReport DIR [--reference-out DIR] [--passes N] [--warmup N]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path referenceOutArg = null;
        int passes = 3;
        int warmup = 2;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--reference-out" -> referenceOutArg = Path.of(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path referenceOut = referenceOutArg;
        List<Corpus.Image> images = Corpus.load(dir);
        ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());
        ImageCodec general = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults(), false);

        System.out.println("| file | kind | MP | half decoder | PSNR half-size decode | PSNR ours (q50) | bytes ours"
                + (referenceOut != null ? " | PSNR reference (q50) | bytes reference" : "") + " |");
        System.out.println("| --- | --- | --- | --- | --- | --- | ---" + (referenceOut != null ? " | --- | ---" : "") + " |");
        Map<Corpus.Kind, double[]> sums = new EnumMap<>(Corpus.Kind.class); // bytes ours, bytes ref, psnr ours, psnr ref, n
        for (Corpus.Image image : images) {
            double[][] reference = referenceHalf(image.bytes());
            String half = "declined";
            String halfPsnr = "-";
            try {
                JpegHalfDecoder decoder = JpegHalfDecoder.open(image.bytes());
                RgbPixels pixels = decoder.decode(ImageSettings.DEFAULT_MAX_PIXELS);
                Orientation orientation = OrientationReader.read(image.bytes(), ImageFormat.JPEG);
                half = "yes";
                halfPsnr = format(psnr(orientation.apply(pixels), reference));
            } catch (JpegHalfDecoder.Declined e) {
                half = image.kind() == Corpus.Kind.PNG ? "(PNG)" : "declined: " + e.getMessage();
            }
            ProcessedImage ours = codec.process(image.bytes());
            double oursPsnr = psnr(toPixels(ImageIO.read(new ByteArrayInputStream(ours.jpeg()))), reference);
            double[] sum = sums.computeIfAbsent(image.kind(), k -> new double[5]);
            sum[0] += ours.size();
            sum[2] += oursPsnr;
            sum[4]++;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %s | %s | %d",
                    image.name(), image.kind(), image.megapixels(), half, halfPsnr, format(oursPsnr), ours.size()));
            if (referenceOut != null) {
                String name = image.name().replaceFirst("\\.[^.]+$", "") + ".jpg";
                byte[] refBytes = Files.readAllBytes(referenceOut.resolve(name));
                double refPsnr = psnr(toPixels(ImageIO.read(new ByteArrayInputStream(refBytes))), reference);
                sum[1] += refBytes.length;
                sum[3] += refPsnr;
                line.append(String.format(Locale.ROOT, " | %s | %d", format(refPsnr), refBytes.length));
            }
            System.out.println(line.append(" |"));
        }
        System.out.println();
        System.out.println("| kind | images | mean PSNR ours | bytes ours" + (referenceOut != null
                ? " | mean PSNR reference | bytes reference | bytes ours / reference" : "") + " |");
        System.out.println("| --- | --- | --- | ---" + (referenceOut != null ? " | --- | --- | ---" : "") + " |");
        sums.forEach((kind, s) -> System.out.println(String.format(Locale.ROOT, "| %s | %d | %.2f | %d", kind,
                (int) s[4], s[2] / s[4], (long) s[0]) + (referenceOut != null ? String.format(Locale.ROOT,
                " | %.2f | %d | %.3f", s[3] / s[4], (long) s[1], s[0] / s[1]) : "") + " |"));

        System.out.println();
        System.out.printf(Locale.ROOT, "CPU time of the image step, one thread: per image the median of %d passes (after %d"
                + " warm-up passes) over all images, the codec as shipped and the general ImageIO path alternating%n%n", passes, warmup);
        double[][] times = cpuSecondsPerImage(images, codec, general, warmup, passes);
        System.out.println("| kind | images | MP | ours CPU s/img | ours MP/s (CPU) | ours CPU ms/MP | ImageIO path CPU s/img | ImageIO path MP/s | speed-up |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Map<Corpus.Kind, Double> msPerMp = new EnumMap<>(Corpus.Kind.class);
        double allOurs = 0;
        double allMp = 0;
        int allCount = 0;
        for (Corpus.Kind kind : Corpus.Kind.values()) {
            double mp = 0;
            double ours = 0;
            double theirs = 0;
            int count = 0;
            for (int i = 0; i < images.size(); i++) {
                if (images.get(i).kind() == kind) {
                    mp += images.get(i).megapixels();
                    ours += times[0][i];
                    theirs += times[1][i];
                    count++;
                }
            }
            if (count == 0 || kind == Corpus.Kind.OTHER) {
                continue;
            }
            allOurs += ours;
            allMp += mp;
            allCount += count;
            msPerMp.put(kind, ours * 1000 / mp);
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.4f | %.1f | %.2f | %.4f | %.1f | %.2fx |%n", kind, count, mp,
                    ours / count, mp / ours, ours * 1000 / mp, theirs / count, mp / theirs, theirs / ours);
        }
        System.out.printf(Locale.ROOT, "%nAll %d images, %.1f MP: ours %.4f CPU s/img, %.1f MP/s (CPU)%n", allCount, allMp,
                allOurs / allCount, allMp / allOurs);
        if (msPerMp.containsKey(Corpus.Kind.PROGRESSIVE_JPEG) && msPerMp.containsKey(Corpus.Kind.BASELINE_JPEG)) {
            System.out.printf(Locale.ROOT, "Progressive / baseline JPEG CPU time per MP: %.2f%n",
                    msPerMp.get(Corpus.Kind.PROGRESSIVE_JPEG) / msPerMp.get(Corpus.Kind.BASELINE_JPEG));
        }
    }

    /**
     * Per image, the median CPU seconds of this thread for {@code a.process} ([0]) and
     * {@code b.process} ([1]); each pass visits every image once, both codecs back to back, so
     * that changes in the machine's load affect every kind alike.
     */
    private static double[][] cpuSecondsPerImage(List<Corpus.Image> images, ImageCodec a, ImageCodec b, int warmup,
                                                 int passes) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][][] samples = new double[2][images.size()][passes];
        for (int p = -warmup; p < passes; p++) {
            for (int i = 0; i < images.size(); i++) {
                ImageCodec[] codecs = {a, b};
                for (int c = 0; c < 2; c++) {
                    long start = threads.getCurrentThreadCpuTime();
                    codecs[c].process(images.get(i).bytes());
                    if (p >= 0) {
                        samples[c][i][p] = (threads.getCurrentThreadCpuTime() - start) / 1e9;
                    }
                }
            }
        }
        double[][] medians = new double[2][images.size()];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < images.size(); i++) {
                medians[c][i] = median(samples[c][i]);
            }
        }
        return medians;
    }

    /** The median of {@code samples} (sorted in place). */
    static double median(double[] samples) {
        Arrays.sort(samples);
        int n = samples.length;
        return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    }

    /**
     * The high-quality half-size reference, upright: the general path's full decode (ImageIO and
     * TwelveMonkeys, colour managed, upright) reduced by the exact mean of each 2x2 block (of the
     * available pixels on an odd last row or column), kept in double precision.
     */
    static double[][] referenceHalf(byte[] bytes) throws Exception {
        BufferedImage full = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults()).decodeToSrgb(bytes);
        int w = full.getWidth();
        int h = full.getHeight();
        int[] rgb = full.getRGB(0, 0, w, h, null, 0, w);
        int hw = (w + 1) / 2;
        int hh = (h + 1) / 2;
        double[][] out = new double[3][hw * hh];
        for (int y = 0; y < hh; y++) {
            for (int x = 0; x < hw; x++) {
                double[] sum = new double[3];
                int n = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int sx = 2 * x + dx;
                        int sy = 2 * y + dy;
                        if (sx < w && sy < h) {
                            int p = rgb[sy * w + sx];
                            sum[0] += (p >> 16) & 0xFF;
                            sum[1] += (p >> 8) & 0xFF;
                            sum[2] += p & 0xFF;
                            n++;
                        }
                    }
                }
                for (int c = 0; c < 3; c++) {
                    out[c][y * hw + x] = sum[c] / n;
                }
            }
        }
        return new double[][] {out[0], out[1], out[2], {hw, hh}};
    }

    /** PSNR in dB over the area common to both (the reference's size is in its 4th row). */
    static double psnr(RgbPixels image, double[][] reference) {
        int rw = (int) reference[3][0];
        int rh = (int) reference[3][1];
        int w = Math.min(rw, image.width());
        int h = Math.min(rh, image.height());
        double sse = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.rgb()[y * image.width() + x];
                int r = y * rw + x;
                double dr = ((p >> 16) & 0xFF) - reference[0][r];
                double dg = ((p >> 8) & 0xFF) - reference[1][r];
                double db = (p & 0xFF) - reference[2][r];
                sse += dr * dr + dg * dg + db * db;
            }
        }
        double mse = sse / (3.0 * w * h);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255 * 255 / mse);
    }

    static RgbPixels toPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xFFFFFF;
        }
        return new RgbPixels(w, h, rgb);
    }

    private static String format(double psnr) {
        return String.format(Locale.ROOT, "%.2f", psnr);
    }
}
