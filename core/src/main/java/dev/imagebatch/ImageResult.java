package dev.imagebatch;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome for one image URL of a request: exactly one of {@link #outputUrl()} and
 * {@link #error()} is present.
 *
 * @param row       1-based data record of the input CSV (the header is not counted)
 * @param index     1-based position of the URL within its row's {@code input_image_urls}
 * @param inputUrl  the URL as given in the input
 * @param outputUrl where the processed image was published, on success
 * @param error     why the image failed, on failure
 */
public record ImageResult(int row, int index, String inputUrl, Optional<URI> outputUrl, Optional<ImageError> error) {

    public ImageResult {
        if (row < 1 || index < 1) {
            throw new IllegalArgumentException("row and index are 1-based, got " + row + "/" + index);
        }
        Objects.requireNonNull(inputUrl, "inputUrl");
        Objects.requireNonNull(outputUrl, "outputUrl");
        Objects.requireNonNull(error, "error");
        if (outputUrl.isPresent() == error.isPresent()) {
            throw new IllegalArgumentException("exactly one of outputUrl and error must be present");
        }
    }

    /** A successfully processed image. */
    public static ImageResult success(int row, int index, String inputUrl, URI outputUrl) {
        return new ImageResult(row, index, inputUrl, Optional.of(outputUrl), Optional.empty());
    }

    /** A failed image. */
    public static ImageResult failure(int row, int index, String inputUrl, ImageError error) {
        return new ImageResult(row, index, inputUrl, Optional.empty(), Optional.of(error));
    }

    /** Like the record's, but URLs lose their query strings: presigned URLs carry credentials. */
    @Override
    public String toString() {
        return "ImageResult[row=" + row + ", index=" + index + ", inputUrl=" + Urls.withoutQuery(inputUrl)
                + ", outputUrl=" + outputUrl.map(Urls::withoutQuery) + ", error=" + error + "]";
    }

    /** {@code true} when the image was processed and published. */
    public boolean succeeded() {
        return outputUrl.isPresent();
    }
}
