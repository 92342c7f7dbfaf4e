package dev.imagebatch.examples.demo;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The demo's sample pictures, drawn here with Java2D (so they need no licence) and encoded in the
 * formats imagebatch reads: JPEG, PNG (one with transparency), GIF, BMP and TIFF. The WebP sample is
 * a file bundled in the jar, because the JDK cannot write WebP; see {@code SOURCES.md} beside it.
 */
public final class SampleImages {

    /** The bundled WebP file's resource path. */
    static final String WEBP_RESOURCE = "/dev/imagebatch/examples/demo/lagoon_640x480.webp";

    private SampleImages() {
    }

    /** One sample: its file name, media type and bytes. */
    public record Sample(String name, String contentType, byte[] bytes) {
    }

    /** Every sample, by file name, in a stable order. */
    public static Map<String, Sample> all() {
        Map<String, Sample> samples = new LinkedHashMap<>();
        add(samples, "aurora_1600x1200.jpg", "image/jpeg", "jpg", aurora(1600, 1200));
        add(samples, "rings_1024x768.bmp", "image/bmp", "bmp", rings(1024, 768));
        add(samples, "tiles_1200x900.png", "image/png", "png", tiles(1200, 900));
        add(samples, "mosaic_900x600.tiff", "image/tiff", "tiff", mosaic(900, 600));
        add(samples, "badge_800x800.png", "image/png", "png", badge(800));
        add(samples, "stripes_640x480.gif", "image/gif", "gif", stripes(640, 480));
        samples.put("lagoon_640x480.webp", new Sample("lagoon_640x480.webp", "image/webp", resource(WEBP_RESOURCE)));
        return samples;
    }

    /** Night-sky gradient with soft glowing bands; the largest sample. */
    static BufferedImage aurora(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(image);
        g.setPaint(new GradientPaint(0, 0, new Color(10, 16, 48), 0, height, new Color(24, 70, 96)));
        g.fillRect(0, 0, width, height);
        Color[] glow = {new Color(80, 255, 170, 110), new Color(120, 180, 255, 90), new Color(200, 110, 255, 80)};
        for (int i = 0; i < glow.length; i++) {
            float cx = width * (0.25f + 0.25f * i);
            float cy = height * (0.35f + 0.1f * i);
            float radius = width * 0.35f;
            g.setPaint(new RadialGradientPaint(cx, cy, radius, new float[] {0f, 1f},
                    new Color[] {glow[i], new Color(glow[i].getRed(), glow[i].getGreen(), glow[i].getBlue(), 0)}));
            g.fill(new Ellipse2D.Float(cx - radius, cy - radius, radius * 2, radius * 2));
        }
        label(g, "aurora " + width + "x" + height, width, height);
        g.dispose();
        return image;
    }

    /** Concentric rings in warm colours. */
    static BufferedImage rings(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(image);
        g.setColor(new Color(250, 240, 225));
        g.fillRect(0, 0, width, height);
        int step = Math.max(8, width / 24);
        int largest = (int) Math.hypot(width, height);
        for (int i = 0, r = largest; r > 0; i++, r -= step) {
            float t = r / (float) largest;
            g.setColor(i % 2 == 0
                    ? new Color(1f, 0.45f + 0.4f * t, 0.2f + 0.3f * (1 - t))
                    : new Color(0.95f, 0.9f - 0.3f * t, 0.75f - 0.4f * t));
            g.fill(new Ellipse2D.Float(width / 2f - r / 2f, height / 2f - r / 2f, r, r));
        }
        label(g, "rings " + width + "x" + height, width, height);
        g.dispose();
        return image;
    }

    /** A grid of tiles whose hue walks across the picture. */
    static BufferedImage tiles(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(image);
        int size = width / 12;
        for (int y = 0; y < height; y += size) {
            for (int x = 0; x < width; x += size) {
                float hue = (x + y) / (float) (width + height);
                g.setColor(Color.getHSBColor(hue, 0.55f, 0.95f));
                g.fillRoundRect(x + 4, y + 4, size - 8, size - 8, size / 4, size / 4);
            }
        }
        label(g, "tiles " + width + "x" + height, width, height);
        g.dispose();
        return image;
    }

    /** Irregular coloured rectangles, deterministic. */
    static BufferedImage mosaic(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(image);
        Random random = new Random(42);
        g.setColor(new Color(30, 34, 40));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 140; i++) {
            int w = 20 + random.nextInt(width / 4);
            int h = 20 + random.nextInt(height / 4);
            g.setColor(Color.getHSBColor(0.5f + random.nextFloat() * 0.25f, 0.6f, 0.5f + random.nextFloat() * 0.5f));
            g.fillRect(random.nextInt(width - w), random.nextInt(height - h), w, h);
        }
        label(g, "mosaic " + width + "x" + height, width, height);
        g.dispose();
        return image;
    }

    /** A round badge on a transparent background: imagebatch flattens it onto white. */
    static BufferedImage badge(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = start(image);
        g.setComposite(AlphaComposite.Clear);
        g.fillRect(0, 0, size, size);
        g.setComposite(AlphaComposite.SrcOver);
        g.setPaint(new GradientPaint(0, 0, new Color(255, 120, 60), size, size, new Color(220, 40, 110)));
        g.fill(new Ellipse2D.Float(size * 0.08f, size * 0.08f, size * 0.84f, size * 0.84f));
        g.setColor(new Color(255, 255, 255, 230));
        g.setStroke(new BasicStroke(size / 40f));
        g.draw(new Ellipse2D.Float(size * 0.18f, size * 0.18f, size * 0.64f, size * 0.64f));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size / 7));
        String text = "PNG";
        int textWidth = g.getFontMetrics().stringWidth(text);
        g.drawString(text, (size - textWidth) / 2f, size * 0.55f);
        g.dispose();
        return image;
    }

    /** Diagonal stripes in a few flat colours, as a GIF's palette likes. */
    static BufferedImage stripes(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(image);
        Color[] colours = {new Color(38, 70, 83), new Color(42, 157, 143), new Color(233, 196, 106),
                new Color(244, 162, 97), new Color(231, 111, 81)};
        int band = width / 10;
        for (int i = -height / band - 1; i < width / band + height / band + 1; i++) {
            g.setColor(colours[Math.floorMod(i, colours.length)]);
            int x = i * band;
            g.fillPolygon(new int[] {x, x + band, x + band - height, x - height}, new int[] {0, 0, height, height}, 4);
        }
        label(g, "stripes " + width + "x" + height, width, height);
        g.dispose();
        return image;
    }

    /**
     * Sea and sand under a sky: the picture in the bundled WebP file, which was made by writing this
     * image as PNG and encoding it with {@code cwebp -q 80} (the JDK cannot write WebP).
     */
    static BufferedImage lagoon(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(image);
        g.setPaint(new GradientPaint(0, 0, new Color(120, 190, 240), 0, height * 0.5f, new Color(220, 240, 250)));
        g.fillRect(0, 0, width, height / 2);
        g.setPaint(new GradientPaint(0, height * 0.5f, new Color(20, 150, 170), 0, height * 0.75f, new Color(60, 200, 190)));
        g.fillRect(0, height / 2, width, height / 4);
        g.setColor(new Color(238, 214, 170));
        g.fillRect(0, height * 3 / 4, width, height / 4);
        g.setColor(new Color(255, 230, 120));
        g.fill(new Ellipse2D.Float(width * 0.7f, height * 0.1f, width * 0.12f, width * 0.12f));
        label(g, "lagoon " + width + "x" + height, width, height);
        g.dispose();
        return image;
    }

    private static Graphics2D start(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    private static void label(Graphics2D g, String text, int width, int height) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(14, height / 14)));
        int textWidth = g.getFontMetrics().stringWidth(text);
        float x = (width - textWidth) / 2f;
        float y = height * 0.9f;
        g.setColor(new Color(0, 0, 0, 120));
        g.drawString(text, x + 3, y + 3);
        g.setColor(Color.WHITE);
        g.drawString(text, x, y);
    }

    private static void add(Map<String, Sample> samples, String name, String contentType, String format,
                            BufferedImage image) {
        samples.put(name, new Sample(name, contentType, encode(image, format)));
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] resource(String path) {
        try (InputStream in = SampleImages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
