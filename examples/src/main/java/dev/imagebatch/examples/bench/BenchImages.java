package dev.imagebatch.examples.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** The images a benchmark serves: every image file of a folder, or small generated JPEGs. */
public final class BenchImages {

    /** One image: its bytes, media type and pixel count (from its header). */
    public record Image(String name, String contentType, byte[] bytes, long pixels) {
    }

    private BenchImages() {
    }

    /** Every {@code .jpg}, {@code .jpeg} and {@code .png} directly in {@code folder}, by name. */
    public static Map<String, Image> folder(Path folder) throws IOException {
        Map<String, Image> images = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                String type = lower.endsWith(".png") ? "image/png"
                        : lower.endsWith(".jpg") || lower.endsWith(".jpeg") ? "image/jpeg" : null;
                if (type != null && Files.isRegularFile(file)) {
                    byte[] bytes = Files.readAllBytes(file);
                    images.put(name, new Image(name, type, bytes, pixels(bytes, name)));
                }
            }
        }
        if (images.isEmpty()) {
            throw new IOException("no .jpg or .png images in " + folder);
        }
        return images;
    }

    /** {@code count} small generated JPEGs ({@code width}×{@code height}), for runs about the engine, not the codec. */
    public static Map<String, Image> generated(int count, int width, int height) throws IOException {
        Map<String, Image> images = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(i / (float) count, 0.7f, 0.9f),
                    width, height, Color.DARK_GRAY));
            g.fillRect(0, 0, width, height);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpeg", out);
            String name = "generated-" + i + "_" + width + "x" + height + ".jpg";
            images.put(name, new Image(name, "image/jpeg", out.toByteArray(), (long) width * height));
        }
        return images;
    }

    private static long pixels(byte[] bytes, String name) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("not a readable image: " + name);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return (long) reader.getWidth(0) * reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        }
    }
}
