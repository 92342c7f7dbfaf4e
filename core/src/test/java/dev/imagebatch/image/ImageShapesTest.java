package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Degenerate shapes in every lossless format and in JPEG (which takes the half-size decoder):
 * 1x1, one pixel wide or high, and extreme aspect ratios. Each is halved with the documented
 * rounding (never below one pixel), keeps its colour, and comes out as a valid JPEG.
 */
class ImageShapesTest {

    private static final int[][] SHAPES = {
        {1, 1}, {1, 2}, {2, 1}, {1, 3}, {3, 1}, {1, 777}, {777, 1}, {2, 4000}, {4000, 2},
        {1, 16_385}, {16_385, 1}, {3, 10_001}, {10_001, 3}, {17, 9}, {9, 17},
    };
    private static final List<String> FORMATS = List.of("jpeg", "png", "gif", "bmp", "tiff");

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());

    static Stream<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>();
        for (String format : FORMATS) {
            for (int[] shape : SHAPES) {
                cases.add(Arguments.of(format, shape[0], shape[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("shapes")
    void isHalvedWithinTheSizeRuleAndKeepsItsColour(String format, int width, int height) throws Exception {
        BufferedImage source = Fixtures.solid(width, height, Fixtures.BLUE);
        byte[] input = format.equals("jpeg") ? Fixtures.jpeg(source, 0.9f) : Fixtures.write(source, format);

        ProcessedImage result = codec.process(input);

        ImageSettings settings = codec.settings();
        assertThat(result.sourceWidth()).isEqualTo(width);
        assertThat(result.sourceHeight()).isEqualTo(height);
        assertThat(result.width()).isEqualTo(settings.scaledLength(width));
        assertThat(result.height()).isEqualTo(settings.scaledLength(height));
        BufferedImage output = Fixtures.read(result.jpeg());
        assertThat(output.getWidth()).isEqualTo(result.width());
        assertThat(output.getHeight()).isEqualTo(result.height());
        Fixtures.assertColour(Fixtures.mean(output, 0, 0, output.getWidth(), output.getHeight()), Fixtures.BLUE, 24,
                format + " " + width + "x" + height);
    }

    /**
     * Within the pixel limit but too long for a JPEG side after halving (found by fuzzing as a WebP
     * canvas of 1x659593): refused from the header as TOO_MANY_PIXELS, not an INTERNAL encoder failure.
     * The longest side that fits still works.
     */
    @Test
    void aSideTooLongForJpegIsRefusedFromTheHeaderAndTheLongestThatFitsWorks() throws Exception {
        int longest = 2 * JpegEncoder.MAX_SIDE;
        byte[] fits = Fixtures.png(Fixtures.solid(1, longest, Fixtures.BLUE));
        assertThat(codec.process(fits).height()).isEqualTo(JpegEncoder.MAX_SIDE);

        byte[] tooLong = Fixtures.png(Fixtures.solid(longest + 2, 1, Fixtures.BLUE));
        assertThatThrownBy(() -> codec.process(tooLong)).isInstanceOfSatisfying(ImageFailureException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_PIXELS);
            assertThat(e).hasMessageContaining("65500");
        });
    }
}
