package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessedImageTest {

    @Test
    void copiesTheBytesInAndOut() throws Exception {
        byte[] bytes = {1, 2, 3};
        ProcessedImage image = new ProcessedImage(bytes, 2, 1, 4, 2, ImageFormat.PNG);
        bytes[0] = 9;
        assertThat(image.jpeg()).containsExactly(1, 2, 3);
        image.jpeg()[1] = 9;
        assertThat(image.jpeg()).containsExactly(1, 2, 3);
        assertThat(image.openStream().readAllBytes()).containsExactly(1, 2, 3);
        assertThat(image.size()).isEqualTo(3);
    }

    @Test
    void isAJpegWithJpgExtension() {
        ProcessedImage image = new ProcessedImage(new byte[] {1}, 1, 1, 1, 1, ImageFormat.GIF);
        assertThat(image.mediaType()).isEqualTo("image/jpeg");
        assertThat(image.extension()).isEqualTo("jpg");
    }

    @Test
    void comparesByContent() {
        ProcessedImage a = new ProcessedImage(new byte[] {1, 2}, 1, 1, 2, 2, ImageFormat.PNG);
        ProcessedImage b = new ProcessedImage(new byte[] {1, 2}, 1, 1, 2, 2, ImageFormat.PNG);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new ProcessedImage(new byte[] {1, 3}, 1, 1, 2, 2, ImageFormat.PNG));
        assertThat(a.toString()).contains("1x1", "2 bytes", "PNG");
    }

    @Test
    void rejectsMissingOrEmptyValues() {
        assertThatThrownBy(() -> new ProcessedImage(null, 1, 1, 1, 1, ImageFormat.PNG)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ProcessedImage(new byte[] {1}, 1, 1, 1, 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ProcessedImage(new byte[0], 1, 1, 1, 1, ImageFormat.PNG))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProcessedImage(new byte[] {1}, 0, 1, 1, 1, ImageFormat.PNG))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
