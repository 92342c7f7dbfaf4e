package dev.imagebatch.http;

/**
 * Receives one {@link FetchOutcome} per {@link OkHttpImageFetcher#fetch} call, for metrics or
 * tests.
 *
 * <p>Called on the thread that called {@code fetch}, after the fetch has finished and before
 * {@code fetch} returns or throws; it must be quick and safe for concurrent use when fetches run
 * concurrently. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface FetchListener {

    /** A listener that does nothing. */
    FetchListener NONE = outcome -> { };

    /**
     * @param outcome what happened; never null
     */
    void fetchFinished(FetchOutcome outcome);
}
