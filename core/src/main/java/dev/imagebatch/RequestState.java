package dev.imagebatch;

/** Where a request stands. Every state except {@link #PROCESSING} is terminal. */
public enum RequestState {
    /** Accepted; images are being (or will be, after a resume) processed. */
    PROCESSING,
    /** Every image succeeded and the output CSV is published. */
    COMPLETED,
    /** The output CSV is published but at least one image failed (its output cell entry is empty). */
    COMPLETED_WITH_ERRORS,
    /** The request itself could not finish (for instance its input or output could not be stored). */
    FAILED,
    /** {@link ImageProcessingService#cancel(String)} stopped it; no output CSV is published. */
    CANCELLED;

    /** {@code true} for every state but {@link #PROCESSING}. */
    public boolean isTerminal() {
        return this != PROCESSING;
    }
}
