package dev.imagebatch.csv;

import dev.imagebatch.CsvProblem;
import java.util.Objects;

/**
 * The content of a CSV file being read by a {@link CsvRowReader} is not valid: the reader stops
 * at the first problem instead of returning a row it cannot trust. Files that passed
 * {@link InputCsv#validate} with the same limits never cause it.
 */
public class CsvReadException extends RuntimeException {

    private final transient CsvProblem problem;

    /**
     * @param problem what is wrong and where; not {@code null}
     */
    public CsvReadException(CsvProblem problem) {
        super(Objects.requireNonNull(problem, "problem").toString());
        this.problem = problem;
    }

    /**
     * What is wrong and where.
     *
     * @return the problem; never {@code null}
     */
    public CsvProblem problem() {
        return problem;
    }
}
