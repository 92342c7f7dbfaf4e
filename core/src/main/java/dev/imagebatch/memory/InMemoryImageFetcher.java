package dev.imagebatch.memory;

import dev.imagebatch.ImageError;
import dev.imagebatch.spi.FetchedImage;
import dev.imagebatch.spi.ImageFailureException;
import dev.imagebatch.spi.ImageFetcher;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link ImageFetcher} that serves bytes from a map, so host applications can test their
 * wiring with no network. A URL that was not registered fails with {@code HTTP 404}. Counts the
 * fetches of each URL. Thread-safe; never blocks.
 *
 * <pre>{@code
 * InMemoryImageFetcher fetcher = InMemoryImageFetcher.builder()
 *         .serve("https://shop.example/a.jpg", jpegBytes, "image/jpeg")
 *         .fail("https://shop.example/gone.jpg", ImageError.httpStatus(410))
 *         .build();
 * }</pre>
 */
public final class InMemoryImageFetcher implements ImageFetcher {

    private final Map<String, Object> answers;
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    private InMemoryImageFetcher(Map<String, Object> answers) {
        this.answers = Map.copyOf(answers);
    }

    /** A builder with nothing registered. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public FetchedImage fetch(URI url) throws ImageFailureException {
        String key = url.toString();
        fetches.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        Object answer = answers.get(key);
        if (answer instanceof FetchedImage image) {
            return image;
        }
        throw new ImageFailureException(answer instanceof ImageError error ? error : ImageError.httpStatus(404));
    }

    /** How many times {@code url} was fetched. */
    public int fetchCount(String url) {
        AtomicInteger count = fetches.get(url);
        return count == null ? 0 : count.get();
    }

    /** How many fetches were made in all. */
    public int totalFetches() {
        return fetches.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Registers answers. Not thread-safe; build once. */
    public static final class Builder {
        private final Map<String, Object> answers = new ConcurrentHashMap<>();

        private Builder() {
        }

        /** Serves {@code bytes} at {@code url} with the given content type (may be {@code null}). */
        public Builder serve(String url, byte[] bytes, String contentType) {
            answers.put(url, FetchedImage.of(bytes, contentType, URI.create(url)));
            return this;
        }

        /** Makes {@code url} fail with {@code error}. */
        public Builder fail(String url, ImageError error) {
            answers.put(url, Objects.requireNonNull(error, "error"));
            return this;
        }

        /** The fetcher. */
        public InMemoryImageFetcher build() {
            return new InMemoryImageFetcher(answers);
        }
    }
}
