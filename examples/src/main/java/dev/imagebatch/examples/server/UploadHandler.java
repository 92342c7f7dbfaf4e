package dev.imagebatch.examples.server;

import dev.imagebatch.CsvProblem;
import dev.imagebatch.InvalidCsvException;
import dev.imagebatch.SubmitOptions;
import dev.imagebatch.examples.json.ApiBodies;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.util.concurrent.RejectedExecutionException;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/upload}: multipart form with the CSV in field {@code file} and, optionally, a
 * {@code webhook_url}. Answers as the original did: 200 with the request id, 404 for an invalid
 * CSV (plus the list of problems), 500 when the request could not be created; and, beyond the
 * original, 503 with {@code Retry-After} when the service already holds its maximum of active requests.
 */
final class UploadHandler implements Handler {

    private static final Logger LOG = LoggerFactory.getLogger(UploadHandler.class);

    private final Backend backend;

    UploadHandler(Backend backend) {
        this.backend = backend;
    }

    @Override
    public void handle(Context ctx) {
        Backend.Parts parts = backend.get().orElse(null);
        if (parts == null) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ApiBodies.Message(ApiBodies.CREATE_FAILED, "starting"));
            return;
        }
        UploadedFile file = ctx.uploadedFile("file");
        if (file == null) {
            ctx.status(HttpStatus.NOT_FOUND).json(ApiBodies.InvalidCsv.of(List.of(
                    new CsvProblem(0, "", "the form has no file in a field named 'file'"))));
            return;
        }
        SubmitOptions options;
        try {
            options = options(ctx.formParam("webhook_url"));
        } catch (IllegalArgumentException e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(new ApiBodies.Message("Invalid webhook_url",
                    "webhook_url must be an absolute http(s) URL"));
            return;
        }
        try (InputStream content = file.content()) {
            String id = parts.service().submit(content, options);
            ctx.json(new ApiBodies.Accepted(id));
        } catch (InvalidCsvException e) {
            ctx.status(HttpStatus.NOT_FOUND).json(ApiBodies.InvalidCsv.of(e.problems()));
        } catch (RejectedExecutionException e) {
            // Back-pressure: the service holds as many requests as it is set to; nothing was stored.
            ctx.header("Retry-After", "5");
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ApiBodies.Message(ApiBodies.BUSY, e.getMessage()));
        } catch (Exception e) {
            LOG.warn("Could not create a request from upload {}: {}", file.filename(), e.toString());
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(new ApiBodies.Message(ApiBodies.CREATE_FAILED, null));
        }
    }

    private static SubmitOptions options(String webhookUrl) {
        if (webhookUrl == null || webhookUrl.isBlank()) {
            return SubmitOptions.defaults();
        }
        return SubmitOptions.webhook(URI.create(webhookUrl.strip()));
    }
}
