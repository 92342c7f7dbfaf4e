package dev.imagebatch.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small images made in memory for tests. */
public final class TestImages {

    private TestImages() {
    }

    /** A JPEG of the given size: left half {@code left}, right half {@code right}. */
    public static byte[] jpeg(int width, int height, Color left, Color right) {
        return encode(twoTone(width, height, left, right, BufferedImage.TYPE_INT_RGB), "jpeg");
    }

    /** A PNG of the given size and colour. */
    public static byte[] png(int width, int height, Color color) {
        return encode(twoTone(width, height, color, color, BufferedImage.TYPE_INT_ARGB), "png");
    }

    /** Decodes image bytes, failing the test if they are not an image. */
    public static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new AssertionError("not a decodable image (" + bytes.length + " bytes)");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage twoTone(int width, int height, Color left, Color right, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, (width + 1) / 2, height);
        g.setColor(right);
        g.fillRect((width + 1) / 2, 0, width / 2, height);
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
