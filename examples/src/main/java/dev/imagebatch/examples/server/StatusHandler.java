package dev.imagebatch.examples.server;

import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.examples.json.ApiBodies;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/status?request_id=<id>}: 200 with the status (the original's fields plus counts,
 * state, webhook and per-image results), 400 for an unknown id as the original answered.
 */
final class StatusHandler implements Handler {

    private final Backend backend;

    StatusHandler(Backend backend) {
        this.backend = backend;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        String id = ctx.queryParam("request_id");
        Backend.Parts parts = backend.get().orElse(null);
        Optional<RequestStatus> status = id == null || parts == null ? Optional.empty() : parts.service().status(id);
        if (status.isEmpty()) {
            ctx.status(HttpStatus.BAD_REQUEST).json(ApiBodies.NotFound.of(id == null ? "" : id));
            return;
        }
        List<ImageResult> images = parts.service().images(id);
        ctx.json(parts.views().view(status.get(), images));
    }
}
