package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The image fuzz target goes through {@link ImageCodec#process}, which hands JPEGs to the custom
 * {@link JpegHalfDecoder} first. This checks that the committed corpus really exercises that
 * decoder (inputs it accepts and fully decodes, and inputs it declines), so that fuzzing starts
 * from, and the regression run replays, inputs inside the custom code and not only around it.
 */
class FuzzCorpusReachesHalfSizeDecoderTest {

    private static final String CORPUS =
            "dev/imagebatch/fuzz/ImageCodecFuzzTestInputs/processEitherSucceedsOrFailsWithAClassifiedError";

    @Test
    void corpusHoldsJpegsTheHalfSizeDecoderDecodesAndJpegsItDeclines() throws Exception {
        int decoded = 0;
        int declined = 0;
        for (Path input : corpus()) {
            byte[] bytes = Files.readAllBytes(input);
            if (FormatSniffer.sniff(bytes) != ImageFormat.JPEG) {
                continue;
            }
            try {
                JpegHalfDecoder.open(bytes).decode(16_000_000);
                decoded++;
            } catch (JpegHalfDecoder.Declined e) {
                declined++;
            }
        }
        assertThat(decoded).as("corpus JPEGs fully decoded by the half-size decoder").isGreaterThanOrEqualTo(5);
        assertThat(declined).as("corpus JPEGs the half-size decoder declines part-way").isGreaterThanOrEqualTo(5);
    }

    private static List<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(FuzzCorpusReachesHalfSizeDecoderTest.class.getClassLoader().getResource(CORPUS).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
