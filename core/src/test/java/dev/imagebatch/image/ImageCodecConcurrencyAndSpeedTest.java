package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ImageCodecConcurrencyAndSpeedTest {

    private static final Logger LOG = LoggerFactory.getLogger(ImageCodecConcurrencyAndSpeedTest.class);

    @Test
    @Timeout(60)
    void oneCodecServesManyThreadsWithTheSameResultsAsOne() throws Exception {
        PixelBudget budget = PixelBudget.of(100_000);
        ImageCodec codec = new ImageCodec(ImageSettings.defaults(), budget);
        var picture = Fixtures.picture(120, 90);
        List<byte[]> inputs = List.of(
                Fixtures.jpeg(picture, 0.8f), Fixtures.png(picture), Fixtures.write(picture, "gif"),
                Fixtures.write(picture, "bmp"), Fixtures.write(picture, "tiff"),
                TestResources.bytes("image/fixtures/quadrants-lossless-alpha_64x48.webp"));
        List<ProcessedImage> sequential = new ArrayList<>();
        for (byte[] input : inputs) {
            sequential.add(codec.process(input));
        }

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<ProcessedImage>> futures = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (byte[] input : inputs) {
                    futures.add(pool.submit(() -> codec.process(input)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(sequential.get(i % inputs.size()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(budget.available()).isEqualTo(100_000);
    }

    @Test
    @Timeout(60)
    void processesATwelveMegapixelJpegWellUnderASecond() throws Exception {
        byte[] jpeg = Fixtures.jpeg(Fixtures.picture(4000, 3000), 0.9f);
        ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            ProcessedImage out = codec.process(jpeg);
            best = Math.min(best, System.nanoTime() - start);
            assertThat(out.width()).isEqualTo(2000);
        }
        LOG.debug("4000x3000 baseline JPEG processed in {} ms (best of 3)", best / 1_000_000);
        // Typically a few hundred ms on one core; the bound leaves room for a busy build machine.
        assertThat(best / 1_000_000).isLessThan(1_500);
    }
}
