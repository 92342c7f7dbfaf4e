package dev.imagebatch.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes {@link RgbPixels} as a baseline JFIF JPEG with the JDK's JPEG writer: 3-component
 * YCbCr with 4:2:0 chroma subsampling (the writer's default), optimised Huffman tables (still
 * baseline), no EXIF, ICC profile or comment. Stateless and thread-safe (one writer per call).
 */
final class JpegEncoder {

    /** The longest side the JDK's JPEG writer accepts (libjpeg's JPEG_MAX_DIMENSION). */
    static final int MAX_SIDE = 65_500;

    private JpegEncoder() {
    }

    /**
     * @param pixels  the opaque sRGB image
     * @param quality the writer's quality in {@code [0, 1]}
     * @return the JPEG bytes
     * @throws IOException if the writer fails
     */
    static byte[] encode(RgbPixels pixels, float quality) throws IOException {
        return encode(BgrPixels.of(pixels, new byte[Math.multiplyExact(pixels.rgb().length, 3)]), quality);
    }

    /**
     * Encodes packed-int pixels through the {@link ScratchBuffers.Slot#BGR} array of {@code scratch}:
     * the JDK writer takes interleaved bytes directly, while it converts packed-int images pixel by
     * pixel (measured: the copy plus encoding costs about 20% less CPU than encoding the int image,
     * identical output).
     */
    static byte[] encode(RgbPixels pixels, float quality, ScratchBuffers scratch) throws IOException {
        byte[] buffer = scratch.bytes(ScratchBuffers.Slot.BGR, Math.multiplyExact(pixels.rgb().length, 3));
        return encode(BgrPixels.of(pixels, buffer), quality);
    }

    /**
     * @param pixels  the opaque sRGB image
     * @param quality the writer's quality in {@code [0, 1]}
     * @return the JPEG bytes
     * @throws IOException if the writer fails
     */
    static byte[] encode(BgrPixels pixels, float quality) throws IOException {
        ImageWriter writer = ImageIoPlugins.newJpegWriter();
        // A JPEG is typically far smaller than its pixels; this just avoids early regrowth.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, pixels.width() * pixels.height() / 4));
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
            if (param instanceof JPEGImageWriteParam jpegParam) {
                jpegParam.setOptimizeHuffmanTables(true);
            }
            // No metadata object: the writer emits only its default JFIF header and tables.
            writer.write(null, new IIOImage(pixels.toBufferedImage(), null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
