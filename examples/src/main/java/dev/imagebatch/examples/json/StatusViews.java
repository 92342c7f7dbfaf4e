package dev.imagebatch.examples.json;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Maps a {@link RequestStatus} and its {@link ImageResult}s to the {@link StatusView} JSON shape.
 *
 * <p>The original service knew only {@code processing} and {@code completed}. Both completed states
 * answer {@code completed}, since the original also reported a request whose images partly failed
 * as completed; {@code FAILED} and {@code CANCELLED} answer {@code failed} and {@code cancelled}, so
 * a client waiting for anything but {@code processing} stops. {@code state} carries the detail.
 */
public final class StatusViews {

    private final UnaryOperator<URI> links;

    /**
     * @param links turns a stored URL into the one to show (for instance a {@code file:} URL under the
     *              served directory into its {@code http://host/static/...} form)
     */
    public StatusViews(UnaryOperator<URI> links) {
        this.links = Objects.requireNonNull(links, "links");
    }

    /** Shows stored URLs as they are. */
    public static StatusViews unchanged() {
        return new StatusViews(UnaryOperator.identity());
    }

    /** The original service's word for a state. */
    public static String seedStatus(RequestState state) {
        return switch (state) {
            case PROCESSING -> "processing";
            case COMPLETED, COMPLETED_WITH_ERRORS -> "completed";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }

    /** The view of a request with the image results given (pass an empty list to leave them out). */
    public StatusView view(RequestStatus status, List<ImageResult> images) {
        return new StatusView(
                status.requestId(),
                seedStatus(status.state()),
                status.outputCsvUrl().map(this::link).orElse(null),
                status.state().name(),
                status.totalImages(),
                status.succeeded(),
                status.failed(),
                status.createdAt().toString(),
                status.updatedAt().toString(),
                status.failureReason().orElse(null),
                webhook(status.webhook()),
                images.stream().map(this::image).toList());
    }

    private StatusView.ImageView image(ImageResult result) {
        return new StatusView.ImageView(result.row(), result.index(), result.inputUrl(),
                result.outputUrl().map(this::link).orElse(null),
                result.error().map(StatusViews::error).orElse(null));
    }

    private static StatusView.ErrorView error(ImageError error) {
        return new StatusView.ErrorView(error.code().name(), error.message(),
                error.code() == ErrorCode.HTTP_STATUS ? error.httpStatus() : null);
    }

    private static StatusView.WebhookView webhook(WebhookDelivery delivery) {
        return new StatusView.WebhookView(delivery.state().name(), delivery.attempts(),
                delivery.lastHttpStatus() == 0 ? null : delivery.lastHttpStatus(),
                delivery.lastError().orElse(null),
                delivery.deliveredAt().map(Object::toString).orElse(null));
    }

    private String link(URI stored) {
        return links.apply(stored).toString();
    }
}
