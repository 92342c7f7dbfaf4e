package dev.imagebatch.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ImageFetcher} must have. A backend's test extends this class; it
 * provides a fetcher together with a way to serve bytes it can reach.
 */
public abstract class ImageFetcherContract {

    /** Serves test content to the fetcher under test. */
    protected interface Fixture extends AutoCloseable {
        /** Makes {@code bytes} available; returns the URL the fetcher should be given. */
        URI serve(String name, byte[] bytes, String contentType) throws Exception;

        /** A URL the fetcher can reach but which has no content (it must fail with HTTP 404). */
        URI missing() throws Exception;

        /** The fetcher under test, wired to reach this fixture's URLs. */
        ImageFetcher fetcher() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** A fresh fixture. Called once per test and closed after it. */
    protected abstract Fixture newFixture() throws Exception;

    @Test
    void returnsTheServedBytesAndContentType() throws Exception {
        try (Fixture fixture = newFixture()) {
            byte[] bytes = bytes(20_000, 1);
            URI url = fixture.serve("a.jpg", bytes, "image/jpeg");
            FetchedImage image = fixture.fetcher().fetch(url);
            assertThat(image.toByteArray()).isEqualTo(bytes);
            assertThat(image.size()).isEqualTo(bytes.length);
            assertThat(image.contentType()).hasValueSatisfying(type -> assertThat(type).startsWith("image/jpeg"));
            assertThat(image.finalUrl()).isEqualTo(url);
        }
    }

    @Test
    void aMissingImageIsHttp404() throws Exception {
        try (Fixture fixture = newFixture()) {
            URI url = fixture.missing();
            assertThatThrownBy(() -> fixture.fetcher().fetch(url))
                    .isInstanceOfSatisfying(ImageFailureException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.HTTP_STATUS);
                        assertThat(e.error().httpStatus()).isEqualTo(404);
                    });
        }
    }

    @Test
    void servesManyThreadsAtOnce() throws Exception {
        try (Fixture fixture = newFixture()) {
            List<URI> urls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                urls.add(fixture.serve("img-" + i + ".png", bytes(5_000, i), "image/png"));
            }
            ImageFetcher fetcher = fixture.fetcher();
            StatusStoreContract.runConcurrently(8, t -> {
                for (int i = t; i < urls.size(); i += 8) {
                    assertThat(fetcher.fetch(urls.get(i)).toByteArray()).isEqualTo(bytes(5_000, i));
                }
                return null;
            });
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
