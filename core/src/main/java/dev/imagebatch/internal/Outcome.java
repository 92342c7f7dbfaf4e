package dev.imagebatch.internal;

import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import java.net.URI;

/**
 * What became of one distinct image URL of a request: published at a URL, failed with an error,
 * or abandoned because the service is shutting down (abandoned images get no result, so a resume
 * processes them again). A request keeps one per distinct URL until it ends, so the URL is held as
 * text (a parsed {@link URI} costs several times more memory).
 */
record Outcome(String outputUrl, ImageError error) {

    static final Outcome ABANDONED = new Outcome(null, null);

    static Outcome published(URI url) {
        return new Outcome(url.toString(), null);
    }

    static Outcome failed(ImageError error) {
        return new Outcome(null, error);
    }

    static Outcome of(ImageResult result) {
        return result.succeeded() ? published(result.outputUrl().orElseThrow()) : failed(result.error().orElseThrow());
    }

    boolean abandoned() {
        return outputUrl == null && error == null;
    }

    /** The result of this outcome for one position of the input (a URL may occur at several). */
    ImageResult toResult(int row, int index, String inputUrl) {
        return outputUrl != null
                ? ImageResult.success(row, index, inputUrl, URI.create(outputUrl))
                : ImageResult.failure(row, index, inputUrl, error);
    }
}
