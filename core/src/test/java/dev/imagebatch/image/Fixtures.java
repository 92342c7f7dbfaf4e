package dev.imagebatch.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Generates test images and reads results back; every helper is deterministic. */
final class Fixtures {

    static final int RED = 0xFF0000;
    static final int GREEN = 0x00FF00;
    static final int BLUE = 0x0000FF;
    static final int YELLOW = 0xFFFF00;

    private Fixtures() {
    }

    static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** An image whose four quadrants have the given colours. */
    static BufferedImage quadrants(int width, int height, int topLeft, int topRight, int bottomLeft, int bottomRight) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean top = y < height / 2;
                boolean left = x < width / 2;
                image.setRGB(x, y, top ? (left ? topLeft : topRight) : (left ? bottomLeft : bottomRight));
            }
        }
        return image;
    }

    /** A smooth but non-trivial picture (gradients and rings), good for JPEG tests. */
    static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = x * 255 / Math.max(1, width - 1);
                int g = y * 255 / Math.max(1, height - 1);
                double d = Math.hypot(x - width / 2.0, y - height / 2.0);
                int b = (int) (127.5 + 127.5 * Math.sin(d / 9.0));
                row[x] = r << 16 | g << 8 | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    /** Encodes with the first ImageIO writer for {@code format}. */
    static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Encodes with an ImageIO writer for {@code format}, letting {@code configure} adjust the parameters. */
    static byte[] write(BufferedImage image, String format, java.util.function.Consumer<ImageWriteParam> configure) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            configure.accept(param);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static byte[] jpeg(BufferedImage image, float quality) {
        return write(image, "jpeg", p -> {
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
        });
    }

    static byte[] png(BufferedImage image) {
        return write(image, "png");
    }

    static BufferedImage read(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalStateException("ImageIO cannot read the bytes");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JPEG with an APP1 Exif segment holding only IFD0 with the given Orientation, right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26); // big-endian by default
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1); // one entry
        tiff.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next IFD
        return withApp1Exif(jpeg, tiff.array());
    }

    /** The JPEG with an APP1 segment of "Exif\0\0" followed by {@code tiff}, right after SOI. */
    static byte[] withApp1Exif(byte[] jpeg, byte[] tiff) {
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + header.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(header, 0, header.length);
        out.write(tiff, 0, tiff.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A PNG chunk with its length and CRC. */
    static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        chunk.putInt(data.length).put(typeBytes).put(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        chunk.putInt((int) crc.getValue());
        return chunk.array();
    }

    /** The PNG with {@code chunk} inserted right after IHDR (which always ends at byte 33). */
    static byte[] withPngChunkAfterIhdr(byte[] png, byte[] chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        out.write(chunk, 0, chunk.length);
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** Mean of each channel over a rectangle. */
    static double[] mean(BufferedImage image, int x0, int y0, int width, int height) {
        double[] sum = new double[3];
        for (int y = y0; y < y0 + height; y++) {
            for (int x = x0; x < x0 + width; x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xFF;
                sum[1] += (rgb >> 8) & 0xFF;
                sum[2] += rgb & 0xFF;
            }
        }
        int n = width * height;
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    /** Mean colour of the central half of one quadrant (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right). */
    static double[] quadrantMean(BufferedImage image, int quadrant) {
        int qw = image.getWidth() / 2;
        int qh = image.getHeight() / 2;
        int x0 = (quadrant % 2) * qw + qw / 4;
        int y0 = (quadrant / 2) * qh + qh / 4;
        return mean(image, x0, y0, Math.max(1, qw / 2), Math.max(1, qh / 2));
    }

    /** Asserts that each channel of {@code actual} is within {@code tolerance} of {@code expectedRgb}. */
    static void assertColour(double[] actual, int expectedRgb, double tolerance, String what) {
        int[] expected = rgb(expectedRgb);
        for (int c = 0; c < 3; c++) {
            org.assertj.core.api.Assertions.assertThat(actual[c])
                    .as("%s channel %d (expected %06X, got %s)", what, c, expectedRgb, java.util.Arrays.toString(actual))
                    .isCloseTo(expected[c], org.assertj.core.api.Assertions.within(tolerance));
        }
    }

    static int[] rgb(int packed) {
        return new int[] {(packed >> 16) & 0xFF, (packed >> 8) & 0xFF, packed & 0xFF};
    }
}
