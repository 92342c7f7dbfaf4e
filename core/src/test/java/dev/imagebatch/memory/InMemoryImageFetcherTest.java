package dev.imagebatch.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.spi.ImageFailureException;
import dev.imagebatch.spi.ImageFetcher;
import dev.imagebatch.spi.ImageFetcherContract;
import java.net.URI;
import org.junit.jupiter.api.Test;

class InMemoryImageFetcherTest extends ImageFetcherContract {

    @Override
    protected Fixture newFixture() {
        InMemoryImageFetcher.Builder builder = InMemoryImageFetcher.builder();
        return new Fixture() {
            @Override
            public URI serve(String name, byte[] bytes, String contentType) {
                String url = "https://shop.example/" + name;
                builder.serve(url, bytes, contentType);
                return URI.create(url);
            }

            @Override
            public URI missing() {
                return URI.create("https://shop.example/missing.jpg");
            }

            @Override
            public ImageFetcher fetcher() {
                return builder.build();
            }
        };
    }

    @Test
    void failsWithTheRegisteredErrorAndCountsFetches() {
        InMemoryImageFetcher fetcher = InMemoryImageFetcher.builder()
                .fail("https://shop.example/slow.jpg", ImageError.of(ErrorCode.TIMEOUT, "read timed out"))
                .build();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> fetcher.fetch(URI.create("https://shop.example/slow.jpg")))
                    .isInstanceOfSatisfying(ImageFailureException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        }
        assertThat(fetcher.fetchCount("https://shop.example/slow.jpg")).isEqualTo(2);
        assertThat(fetcher.totalFetches()).isEqualTo(2);
    }
}
