package dev.imagebatch.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.imagebatch.ErrorCode;
import dev.imagebatch.image.ImageCodec;
import dev.imagebatch.image.ImageSettings;
import dev.imagebatch.image.PixelBudget;
import dev.imagebatch.image.ProcessedImage;
import dev.imagebatch.spi.ImageFailureException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the whole image step (sniff, header check, decode, orient, resize,
 * encode). Without {@code JAZZER_FUZZ} the test replays the committed inputs under
 * {@code src/test/resources/dev/imagebatch/fuzz/ImageCodecFuzzTestInputs}; with {@code JAZZER_FUZZ=1}
 * it searches for new ones within {@code maxDuration}.
 *
 * <p>Properties: {@code process} either returns an image within the size rule or throws
 * {@link ImageFailureException} with a classified code (never {@code INTERNAL}, which would mean an
 * unexpected exception inside); it never hangs (the 10 s per-input {@link Timeout}) and never allocates
 * beyond the pixel limit (the fuzz profile caps the heap at 512 MB: an {@link OutOfMemoryError} is a finding).
 */
class ImageCodecFuzzTest {

    private static final ImageCodec CODEC = new ImageCodec(
            ImageSettings.builder().maxPixels(4_000_000).build(), PixelBudget.of(8_000_000));

    // Per input: a hang limit in both modes (in fuzzing mode Jazzer turns it into -timeout).
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "60s")
    void processEitherSucceedsOrFailsWithAClassifiedError(byte[] input) {
        try {
            ProcessedImage image = CODEC.process(input);
            assertThat(image.width()).isBetween(1, Math.max(1, image.sourceWidth()));
            assertThat(image.height()).isBetween(1, Math.max(1, image.sourceHeight()));
            assertThat(image.jpeg()).isNotEmpty();
        } catch (ImageFailureException e) {
            assertThat(e.code()).as("unexpected failure inside the codec: %s", e).isNotEqualTo(ErrorCode.INTERNAL);
        }
    }
}
