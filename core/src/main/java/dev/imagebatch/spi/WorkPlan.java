package dev.imagebatch.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The shared plan of one request processed by several instances: how its rows are split into
 * chunks, which chunks are done, and who finishes the request (assembles the output CSV, records
 * the terminal state and sends the webhook).
 *
 * @param requestId  the request
 * @param rows       data rows in the input
 * @param chunkRows  rows per chunk; chunk {@code c} (0-based) covers rows
 *                   {@code c × chunkRows + 1} to {@code min(rows, (c + 1) × chunkRows)}
 * @param doneChunks the chunks whose results are complete, ascending
 * @param finisher   the lease of the instance finishing the request, once every chunk is done
 *                   (or the request ended otherwise, e.g. cancelled)
 * @param finished   whether the request needs nothing more from any instance
 */
public record WorkPlan(String requestId, int rows, int chunkRows, List<Integer> doneChunks,
                       Optional<Lease> finisher, boolean finished) {

    public WorkPlan {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(finisher, "finisher");
        if (rows < 0 || chunkRows < 1) {
            throw new IllegalArgumentException("rows must be >= 0 and chunkRows >= 1, got " + rows + ", " + chunkRows);
        }
        SortedSet<Integer> sorted = new TreeSet<>(Objects.requireNonNull(doneChunks, "doneChunks"));
        int count = chunkCount(rows, chunkRows);
        if (!sorted.isEmpty() && (sorted.first() < 0 || sorted.last() >= count)) {
            throw new IllegalArgumentException("done chunks must be in 0.." + (count - 1) + ", got " + sorted);
        }
        doneChunks = List.copyOf(sorted);
    }

    /** A new plan with no chunk done. */
    public static WorkPlan of(String requestId, int rows, int chunkRows) {
        return new WorkPlan(requestId, rows, chunkRows, List.of(), Optional.empty(), false);
    }

    /** How many chunks the request has. */
    public int chunkCount() {
        return chunkCount(rows, chunkRows);
    }

    private static int chunkCount(int rows, int chunkRows) {
        return (rows + chunkRows - 1) / chunkRows;
    }

    /** The first data row of {@code chunk}. */
    public int firstRow(int chunk) {
        return chunk * chunkRows + 1;
    }

    /** The last data row of {@code chunk}. */
    public int lastRow(int chunk) {
        return Math.min(rows, (chunk + 1) * chunkRows);
    }

    /** Whether every chunk is done. */
    public boolean allChunksDone() {
        return doneChunks.size() == chunkCount();
    }

    /** A copy with {@code chunk} added to the done chunks. */
    public WorkPlan withChunkDone(int chunk) {
        List<Integer> done = new ArrayList<>(doneChunks);
        if (!done.contains(chunk)) {
            done.add(chunk);
        }
        return new WorkPlan(requestId, rows, chunkRows, done, finisher, finished);
    }

    /** A copy with a new finisher lease. */
    public WorkPlan withFinisher(Lease lease) {
        return new WorkPlan(requestId, rows, chunkRows, doneChunks, Optional.of(lease), finished);
    }

    /** A copy marked finished. */
    public WorkPlan asFinished() {
        return new WorkPlan(requestId, rows, chunkRows, doneChunks, finisher, true);
    }
}
