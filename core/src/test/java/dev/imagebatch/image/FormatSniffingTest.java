package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormatSniffingTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void recognisesSupportedFormatsFromGeneratedFiles() {
        var image = Fixtures.solid(8, 8, Fixtures.RED);
        assertThat(ImageCodec.sniff(Fixtures.jpeg(image, 0.9f))).isEqualTo(ImageFormat.JPEG);
        assertThat(ImageCodec.sniff(Fixtures.png(image))).isEqualTo(ImageFormat.PNG);
        assertThat(ImageCodec.sniff(Fixtures.write(image, "gif"))).isEqualTo(ImageFormat.GIF);
        assertThat(ImageCodec.sniff(Fixtures.write(image, "bmp"))).isEqualTo(ImageFormat.BMP);
        assertThat(ImageCodec.sniff(Fixtures.write(image, "tiff"))).isEqualTo(ImageFormat.TIFF);
        assertThat(ImageCodec.sniff(TestResources.bytes("image/fixtures/quadrants-lossy_64x48.webp")))
                .isEqualTo(ImageFormat.WEBP);
        assertThat(ImageCodec.sniff(TestResources.bytes("image/fixtures/quadrants-lossless-alpha_64x48.webp")))
                .isEqualTo(ImageFormat.WEBP);
    }

    @Test
    void needsOnlyTheFirstBytes() {
        byte[] png = Fixtures.png(Fixtures.solid(8, 8, Fixtures.RED));
        assertThat(ImageCodec.sniff(Arrays.copyOf(png, 8))).isEqualTo(ImageFormat.PNG);
        assertThat(ImageCodec.sniff(ascii("II*\0"))).isEqualTo(ImageFormat.TIFF);
        assertThat(ImageCodec.sniff(ascii("MM\0*"))).isEqualTo(ImageFormat.TIFF);
        assertThat(ImageCodec.sniff(ascii("GIF87a"))).isEqualTo(ImageFormat.GIF);
        assertThat(ImageCodec.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})).isEqualTo(ImageFormat.JPEG);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
            "\uFEFF<?xml version=\"1.0\"?><!-- made by hand -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
                    + "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n  <svg version=\"1.1\"></svg>",
            "<!DOCTYPE svg [ <!ENTITY a \"b\"> ]><svg></svg>",
            "  \n<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"/>"})
    void recognisesSvgDocuments(String svg) {
        assertThat(ImageCodec.sniff(svg.getBytes(StandardCharsets.UTF_8))).isEqualTo(ImageFormat.SVG);
    }

    @Test
    void recognisesAvifAndHeicByTheirFtypBrands() {
        assertThat(ImageCodec.sniff(ftyp("avif", "mif1", "miaf"))).isEqualTo(ImageFormat.AVIF);
        assertThat(ImageCodec.sniff(ftyp("mif1", "avif", "miaf"))).isEqualTo(ImageFormat.AVIF);
        assertThat(ImageCodec.sniff(ftyp("heic", "mif1", "heic"))).isEqualTo(ImageFormat.HEIC);
        assertThat(ImageCodec.sniff(ftyp("mif1", "mif1", "heic"))).isEqualTo(ImageFormat.HEIC);
        assertThat(ImageCodec.sniff(ftyp("isom", "isom", "mp41"))).isEqualTo(ImageFormat.UNKNOWN); // a video
    }

    @Test
    void recognisesJpegXl() {
        assertThat(ImageCodec.sniff(new byte[] {(byte) 0xFF, 0x0A, 1, 2})).isEqualTo(ImageFormat.JPEG_XL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<!DOCTYPE html><html><body><svg width=\"10\"></svg></body></html>",
            "<html><head><title>404 Not Found</title></head></html>",
            "{\"error\": \"not found\"}",
            "BMW is a car brand and this is plain text",
            "RIFF\0\0\0\0WAVEfmt ",
            "<?xml version=\"1.0\"?><rss version=\"2.0\"></rss>",
            "GIF8 is not enough",
            " "})
    void treatsTextAndMarkupAsUnknown(String text) {
        assertThat(ImageCodec.sniff(ascii(text))).isEqualTo(ImageFormat.UNKNOWN);
    }

    @Test
    void treatsEmptyAndRandomBytesAsUnknown() {
        assertThat(ImageCodec.sniff(new byte[0])).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(ImageCodec.sniff(new byte[] {(byte) 0xFF})).isEqualTo(ImageFormat.UNKNOWN);
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 0x13;
        assertThat(ImageCodec.sniff(noise)).isEqualTo(ImageFormat.UNKNOWN);
    }

    @Test
    void refusesNullWithNullPointerException() {
        assertThatThrownBy(() -> ImageCodec.sniff(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void marksOnlyDecodableFormatsSupported() {
        assertThat(Arrays.stream(ImageFormat.values()).filter(ImageFormat::isSupported))
                .containsExactly(ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.GIF, ImageFormat.BMP,
                        ImageFormat.WEBP, ImageFormat.TIFF);
        assertThat(ImageFormat.UNKNOWN.isImage()).isFalse();
        assertThat(ImageFormat.SVG.isImage()).isTrue();
    }

    /** An ISO BMFF file start: an ftyp box with a major brand and compatible brands. */
    private static byte[] ftyp(String major, String... compatible) {
        int size = 16 + 4 * compatible.length;
        StringBuilder box = new StringBuilder();
        box.append("\0\0\0").append((char) size).append("ftyp").append(major).append("\0\0\0\0");
        for (String brand : compatible) {
            box.append(brand);
        }
        return ascii(box + "\0\0\0\u0008mdat");
    }
}
