package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageSettingsTest {

    @Test
    void defaultsAreHalfSizeQualityFiftyAndFiftyMegapixels() {
        ImageSettings settings = ImageSettings.defaults();
        assertThat(settings.scale()).isEqualTo(0.5);
        assertThat(settings.jpegQuality()).isEqualTo(0.5f);
        assertThat(settings.maxPixels()).isEqualTo(50_000_000L);
        assertThat(ImageSettings.builder().build()).isEqualTo(settings).hasSameHashCodeAs(settings);
    }

    @Test
    void builderSetsEveryValueAndToBuilderCopiesThem() {
        ImageSettings settings = ImageSettings.builder().scale(0.25).jpegQuality(0.8f).maxPixels(1000).build();
        assertThat(settings.scale()).isEqualTo(0.25);
        assertThat(settings.jpegQuality()).isEqualTo(0.8f);
        assertThat(settings.maxPixels()).isEqualTo(1000);
        assertThat(settings.toBuilder().build()).isEqualTo(settings);
        assertThat(settings).isNotEqualTo(ImageSettings.defaults());
        assertThat(settings.toString()).contains("0.25", "0.8", "1000");
    }

    @Test
    void retainedBytesPerThreadDefaultsTo64MiBAcceptsZeroAndRejectsNegatives() {
        assertThat(ImageSettings.defaults().retainedBytesPerThread()).isEqualTo(64L << 20);
        ImageSettings none = ImageSettings.builder().retainedBytesPerThread(0).build();
        assertThat(none.retainedBytesPerThread()).isZero();
        assertThat(none.toBuilder().build()).isEqualTo(none).isNotEqualTo(ImageSettings.defaults());
        assertThat(none.toString()).contains("retainedBytesPerThread=0");
        assertThatThrownBy(() -> ImageSettings.builder().retainedBytesPerThread(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retainedBytesPerThread").hasMessageContaining("-1");
    }

    @Test
    void rejectsScaleOutsideZeroToOneNamingSettingAndValue() {
        assertThatThrownBy(() -> ImageSettings.builder().scale(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scale").hasMessageContaining("0.0");
        assertThatThrownBy(() -> ImageSettings.builder().scale(1.5)).hasMessageContaining("scale").hasMessageContaining("1.5");
        assertThatThrownBy(() -> ImageSettings.builder().scale(-0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageSettings.builder().scale(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ImageSettings.builder().scale(1).build().scale()).isEqualTo(1.0);
    }

    @Test
    void rejectsQualityOutsideZeroToOneNamingSettingAndValue() {
        assertThatThrownBy(() -> ImageSettings.builder().jpegQuality(1.01f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jpegQuality").hasMessageContaining("1.01");
        assertThatThrownBy(() -> ImageSettings.builder().jpegQuality(-0.1f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageSettings.builder().jpegQuality(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ImageSettings.builder().jpegQuality(0).build().jpegQuality()).isZero();
    }

    @Test
    void rejectsMaxPixelsOutsideArrayRangeNamingSettingAndValue() {
        assertThatThrownBy(() -> ImageSettings.builder().maxPixels(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPixels").hasMessageContaining("0");
        assertThatThrownBy(() -> ImageSettings.builder().maxPixels(-5)).hasMessageContaining("-5");
        assertThatThrownBy(() -> ImageSettings.builder().maxPixels(Integer.MAX_VALUE + 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2147483648");
        assertThat(ImageSettings.builder().maxPixels(Integer.MAX_VALUE).build().maxPixels()).isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest(name = "{1} at scale {0} -> {2}")
    @CsvSource({
            "0.5, 1, 1", "0.5, 2, 1", "0.5, 3, 2", "0.5, 5, 3", "0.5, 4000, 2000", "0.5, 4001, 2001",
            "1.0, 7, 7", "0.1, 4, 1", "0.1, 5, 1", "0.1, 15, 2", "0.25, 6, 2", "0.75, 2, 2", "0.001, 100000, 100"})
    void scalesEachSideRoundingHalfUpAndNeverBelowOne(double scale, int side, int expected) {
        assertThat(ImageSettings.builder().scale(scale).build().scaledLength(side)).isEqualTo(expected);
    }

    @Test
    void refusesToScaleAnEmptySide() {
        assertThatThrownBy(() -> ImageSettings.defaults().scaledLength(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
