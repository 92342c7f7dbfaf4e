package dev.imagebatch.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;
import dev.imagebatch.spi.ImageFetcher;
import java.net.URI;

/** Assertion helpers for fetch failures. */
final class Fetches {

    private Fetches() {
    }

    static ImageFailureException failure(ImageFetcher fetcher, String url, ErrorCode expected) {
        ImageFailureException[] caught = new ImageFailureException[1];
        assertThatThrownBy(() -> fetcher.fetch(URI.create(url)))
                .as(url)
                .isInstanceOfSatisfying(ImageFailureException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.code()).as(url + " -> " + e.getMessage()).isEqualTo(expected);
                    caught[0] = e;
                });
        return caught[0];
    }
}
