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
        System.out.printf(Locale.ROOT, "CPU time, one thread, median of %d passes after %d warm-up passes%n%n", passes, warmup);
        System.out.println("| kind | images | MP | ours CPU s/img | ours MP/s (CPU) | ours CPU s/MP | ImageIO path CPU s/img | ImageIO path MP/s | speed-up |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Map<Corpus.Kind, double[]> perKind = new EnumMap<>(Corpus.Kind.class);
        for (Corpus.Kind kind : Corpus.Kind.values()) {
            List<Corpus.Image> ofKind = Corpus.ofKind(images, kind);
            if (ofKind.isEmpty()) {
                continue;
            }
            double mp = ofKind.stream().mapToDouble(Corpus.Image::megapixels).sum();
            double ours = cpuSecondsPerPass(codec, ofKind, warmup, passes);
            double theirs = cpuSecondsPerPass(general, ofKind, warmup, passes);
            perKind.put(kind, new double[] {ours / mp});
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.4f | %.1f | %.4f | %.4f | %.1f | %.2fx |%n", kind, ofKind.size(), mp,
                    ours / ofKind.size(), mp / ours, ours / mp, theirs / ofKind.size(), mp / theirs, theirs / ours);
        }
        List<Corpus.Image> all = images.stream().filter(i -> i.kind() != Corpus.Kind.OTHER).toList();
        double mpAll = all.stream().mapToDouble(Corpus.Image::megapixels).sum();
        double oursAll = cpuSecondsPerPass(codec, all, 1, passes);
        System.out.printf(Locale.ROOT, "%nAll %d images, %.1f MP: ours %.4f CPU s/img, %.1f MP/s (CPU)%n", all.size(), mpAll,
                oursAll / all.size(), mpAll / oursAll);
        if (perKind.containsKey(Corpus.Kind.PROGRESSIVE_JPEG) && perKind.containsKey(Corpus.Kind.BASELINE_JPEG)) {
            System.out.printf(Locale.ROOT, "Progressive / baseline JPEG CPU time per MP: %.2f%n",
                    perKind.get(Corpus.Kind.PROGRESSIVE_JPEG)[0] / perKind.get(Corpus.Kind.BASELINE_JPEG)[0]);
        }
    }

    /** Median over {@code passes} of the CPU seconds this thread spends processing every image once. */
    private static double cpuSecondsPerPass(ImageCodec codec, List<Corpus.Image> images, int warmup, int passes)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] times = new double[passes];
        for (int p = -warmup; p < passes; p++) {
            long start = threads.getCurrentThreadCpuTime();
            for (Corpus.Image image : images) {
                codec.process(image.bytes());
            }
            if (p >= 0) {
                times[p] = (threads.getCurrentThreadCpuTime() - start) / 1e9;
            }
        }
        Arrays.sort(times);
        return times[passes / 2];
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
