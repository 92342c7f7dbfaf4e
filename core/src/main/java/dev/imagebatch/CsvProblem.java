package dev.imagebatch;

import java.util.Objects;

/**
 * One thing wrong with a submitted CSV file.
 *
 * @param line    1-based physical line in the file where the problem is ({@code 0} when it
 *                concerns the whole file, such as "file is empty" or a size limit)
 * @param column  the column's header name, or {@code ""} when the problem is not about one column
 * @param message what is wrong, for people (for example {@code "URL 2 is not absolute http(s): ftp://x"})
 */
public record CsvProblem(long line, String column, String message) {

    public CsvProblem {
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0");
        }
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(message, "message");
    }

    /** {@code "line 3, column input_image_urls: ..."}, or just the message for file-level problems. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (line > 0) {
            text.append("line ").append(line);
        }
        if (!column.isEmpty()) {
            text.append(text.length() > 0 ? ", " : "").append("column ").append(column);
        }
        return text.length() > 0 ? text + ": " + message : message;
    }
}
