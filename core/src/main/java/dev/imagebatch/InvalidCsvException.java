package dev.imagebatch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A submitted CSV file was rejected. {@link #problems()} lists every problem found, in file
 * order, not just the first. Nothing was persisted for a rejected file and no request id exists.
 */
public class InvalidCsvException extends Exception {

    private static final int PROBLEMS_IN_MESSAGE = 20;

    private final transient List<CsvProblem> problems;

    /**
     * @param problems every problem found; must not be empty
     */
    public InvalidCsvException(List<CsvProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in file order; never empty. */
    public List<CsvProblem> problems() {
        return problems;
    }

    private static String describe(List<CsvProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid CSV needs at least one problem");
        }
        String shown = problems.stream()
                .limit(PROBLEMS_IN_MESSAGE)
                .map(CsvProblem::toString)
                .collect(Collectors.joining("\n  ", "\n  ", ""));
        int hidden = problems.size() - PROBLEMS_IN_MESSAGE;
        return "Invalid CSV file: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + shown + (hidden > 0 ? "\n  ... and " + hidden + " more" : "");
    }
}
