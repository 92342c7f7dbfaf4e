package dev.imagebatch.examples.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.imagebatch.CsvProblem;
import java.util.List;

/**
 * The JSON bodies of the HTTP API besides the status ({@link StatusView}). Field names and the
 * {@code msg}/{@code error} texts are the original service's; {@code problems} and {@code detail}
 * are additions.
 */
public final class ApiBodies {

    /** The original's message for a rejected upload. */
    public static final String INVALID_CSV = "Invalid CSV file format";
    /** The original's message when a valid upload could not be stored. */
    public static final String CREATE_FAILED = "An error occurred while creating the request";

    /** The message when the service already holds as many requests as it may (503). */
    public static final String BUSY = "Too many requests in progress, try again later";

    private ApiBodies() {
    }

    /**
     * {@code 200} to an upload.
     *
     * @param requestId the new request's id
     */
    public record Accepted(@JsonProperty("requestId") String requestId) {
    }

    /**
     * {@code 404} to an upload that is not a valid input, listing why.
     *
     * @param msg      always {@value #INVALID_CSV}
     * @param problems every problem found, in file order
     */
    @JsonPropertyOrder({"msg", "problems"})
    public record InvalidCsv(@JsonProperty("msg") String msg, @JsonProperty("problems") List<Problem> problems) {

        /** The body for these problems. */
        public static InvalidCsv of(List<CsvProblem> problems) {
            return new InvalidCsv(INVALID_CSV, problems.stream()
                    .map(p -> new Problem(p.line(), p.column(), p.message(), p.toString()))
                    .toList());
        }
    }

    /**
     * One problem of a rejected CSV.
     *
     * @param line    1-based line of the file, 0 for the whole file
     * @param column  the column's header name, or empty
     * @param message what is wrong
     * @param text    the line, column and message as one sentence, for display
     */
    @JsonPropertyOrder({"line", "column", "message", "text"})
    public record Problem(@JsonProperty("line") long line, @JsonProperty("column") String column,
                          @JsonProperty("message") String message, @JsonProperty("text") String text) {
    }

    /**
     * A failure with the original's {@code msg} field, and optionally what went wrong.
     *
     * @param msg    the message
     * @param detail more about it, when it helps the caller
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"msg", "detail"})
    public record Message(@JsonProperty("msg") String msg, @JsonProperty("detail") String detail) {
    }

    /**
     * {@code 400} to a status query for an unknown request.
     *
     * @param error {@code "Request with request id <id> not found"}
     */
    public record NotFound(@JsonProperty("error") String error) {

        /** The body for {@code requestId}. */
        public static NotFound of(String requestId) {
            return new NotFound("Request with request id " + requestId + " not found");
        }
    }
}
