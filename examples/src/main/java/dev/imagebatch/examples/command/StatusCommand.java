package dev.imagebatch.examples.command;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.imagebatch.examples.json.Json;
import dev.imagebatch.examples.json.StatusViews;
import dev.imagebatch.examples.options.StorageOptions;
import dev.imagebatch.examples.wiring.StatusReader;
import dev.imagebatch.spi.RequestRecord;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code status}: prints one request's status and per-image results as JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print a request's status and per-image results as JSON.", "",
                "The fields of GET /api/status (request_id, status, file_path, state, counts, webhook) plus images: "
                        + "row, index, url, and output_url or error {code, message}. Reads without locking, so it "
                        + "works while 'process' or 'serve' is running on the same data directory."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the request was found (whatever its state)", "3:no such request, or an error"})
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    StorageOptions storage;

    @Parameters(paramLabel = "REQUEST_ID", description = "The id 'process' printed or the upload answered.")
    String requestId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (StatusReader reader = storage.openReader()) {
            Optional<RequestRecord> record = reader.store().find(requestId);
            if (record.isEmpty()) {
                err.println("error: no request " + requestId + " in " + storage.describe());
                return ExitCodes.ERROR;
            }
            Object view = StatusViews.unchanged().view(record.get().status(), reader.store().images(requestId));
            out.println(Json.mapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(view));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
