package dev.imagebatch.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** JPEGs of any sampling factors, progressive or not, with or without restart markers, written by the JDK's writer. */
final class JpegFixtures {

    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";

    private JpegFixtures() {
    }

    /**
     * @param sampling        horizontal and vertical factors per component: {@code {h0, v0, h1, v1, h2, v2}}
     *                        (for grey images only the first pair is used)
     * @param progressive     the writer's default progressive scan script, else one baseline scan
     * @param restartInterval MCUs between restart markers, 0 for none
     */
    static byte[] jpeg(BufferedImage image, float quality, int[] sampling, boolean progressive, int restartInterval) {
        ImageWriter writer = jdkWriter();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            Element root = (Element) metadata.getAsTree(FORMAT);
            NodeList specs = root.getElementsByTagName("componentSpec");
            for (int i = 0; i < specs.getLength(); i++) {
                Element spec = (Element) specs.item(i);
                spec.setAttribute("HsamplingFactor", Integer.toString(sampling[2 * i]));
                spec.setAttribute("VsamplingFactor", Integer.toString(sampling[2 * i + 1]));
            }
            if (restartInterval > 0) {
                Element sequence = (Element) root.getElementsByTagName("markerSequence").item(0);
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", Integer.toString(restartInterval));
                sequence.insertBefore(dri, sequence.getFirstChild());
            }
            metadata.setFromTree(FORMAT, root);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    private static ImageWriter jdkWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter writer = it.next();
            if (writer.getClass().getName().startsWith("com.sun.")) {
                return writer;
            }
        }
        throw new IllegalStateException("the JDK's JPEG writer is missing");
    }

    /** A picture with smooth areas, edges and fine detail, so that many DCT coefficients are used. */
    static BufferedImage detailed(int width, int height) {
        BufferedImage image = Fixtures.picture(width, height);
        long seed = 12345;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                int noise = (int) (seed >>> 59) - 16; // -16..15
                int rgb = image.getRGB(x, y);
                boolean stripe = (x / 3 + y / 5) % 4 == 0;
                int r = clamp(((rgb >> 16) & 0xFF) + noise + (stripe ? 40 : 0));
                int g = clamp(((rgb >> 8) & 0xFF) - noise);
                int b = clamp((rgb & 0xFF) + (x * y % 7) * 4);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** The general path's full decode (ImageIO), reduced by the exact mean of each 2x2 block, as doubles r, g, b. */
    static double[][] boxHalvedReference(byte[] jpeg) throws Exception {
        BufferedImage full = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults(), false).decodeToSrgb(jpeg);
        int w = full.getWidth();
        int h = full.getHeight();
        int hw = (w + 1) / 2;
        int hh = (h + 1) / 2;
        double[][] out = new double[3][hw * hh];
        for (int y = 0; y < hh; y++) {
            for (int x = 0; x < hw; x++) {
                double[] sum = new double[3];
                int n = 0;
                for (int sy = 2 * y; sy < Math.min(h, 2 * y + 2); sy++) {
                    for (int sx = 2 * x; sx < Math.min(w, 2 * x + 2); sx++) {
                        int[] c = Fixtures.rgb(full.getRGB(sx, sy));
                        for (int k = 0; k < 3; k++) {
                            sum[k] += c[k];
                        }
                        n++;
                    }
                }
                for (int k = 0; k < 3; k++) {
                    out[k][y * hw + x] = sum[k] / n;
                }
            }
        }
        return out;
    }

    /** PSNR in dB of {@code image} against a reference of the same size. */
    static double psnr(RgbPixels image, double[][] reference) {
        double sse = 0;
        int[] rgb = image.rgb();
        for (int i = 0; i < rgb.length; i++) {
            int[] c = Fixtures.rgb(rgb[i]);
            for (int k = 0; k < 3; k++) {
                double d = c[k] - reference[k][i];
                sse += d * d;
            }
        }
        double mse = sse / (3.0 * rgb.length);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255 * 255 / mse);
    }
}
