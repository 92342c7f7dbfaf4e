package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.spi.ImageFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JPEGs written by libjpeg-turbo's cjpeg and jpegtran (see fixtures/SOURCES.md). */
class JpegHalfDecoderFixturesTest {

    private static final String DIR = "image/fixtures/";

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({
            "baseline-420-restart_61x47.jpg, progressive-420-restart_61x47.jpg",
            "baseline-411_61x47.jpg, progressive-411-restart_61x47.jpg"})
    void losslessProgressiveTranscodesDecodeToTheSamePixelsCloseToTheFullDecode(String baseline, String progressive)
            throws Exception {
        byte[] base = TestResources.bytes(DIR + baseline);
        RgbPixels fromBaseline = JpegHalfDecoderTest.decode(base);
        RgbPixels fromProgressive = JpegHalfDecoderTest.decode(TestResources.bytes(DIR + progressive));
        assertThat(fromBaseline.width()).isEqualTo(31);
        assertThat(fromBaseline.height()).isEqualTo(24);
        assertThat(fromProgressive.rgb()).isEqualTo(fromBaseline.rgb());
        assertThat(JpegFixtures.psnr(fromBaseline, JpegFixtures.boxHalvedReference(base))).isGreaterThanOrEqualTo(38);
    }

    @Test
    void leavesArithmeticCodingToTheGeneralPath() {
        byte[] jpeg = TestResources.bytes(DIR + "arithmetic-420_61x47.jpg");
        assertThatThrownBy(() -> JpegHalfDecoder.open(jpeg)).isInstanceOf(JpegHalfDecoder.Declined.class)
                .hasMessageContaining("0xFFC9");
        ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());
        ImageCodec general = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults(), false);
        Object ours;
        Object theirs;
        try {
            ours = codec.process(jpeg);
        } catch (ImageFailureException e) {
            ours = e.code();
        }
        try {
            theirs = general.process(jpeg);
        } catch (ImageFailureException e) {
            theirs = e.code();
        }
        assertThat(ours).isEqualTo(theirs);
    }
}
