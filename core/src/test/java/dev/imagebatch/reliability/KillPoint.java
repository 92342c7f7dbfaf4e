package dev.imagebatch.reliability;

/**
 * Where {@link KillPointChild} stops to be killed. Image points count images across the child's
 * requests (the k-th image to reach that point); request points count requests (the k-th request
 * to reach that point).
 */
public enum KillPoint {

    /** Before the k-th download starts. */
    FETCH_STARTED(Stage.FETCH, true),
    /** The k-th download has its bytes; nothing encoded yet. */
    FETCH_DONE(Stage.FETCH, true),
    /** The k-th image has been handed to a worker for decode, resize and encode. */
    ENCODING(Stage.ENCODE, true),
    /** The k-th processed image is about to be written to storage. */
    PUBLISHING(Stage.PUBLISH, true),
    /** The k-th processed image is stored; its result is not recorded yet. */
    PUBLISHED(Stage.PUBLISH, true),
    /** The k-th result is in the status store; the request's counts are not updated yet. */
    RESULT_RECORDED(Stage.PUBLISH, true),
    /** The k-th request's output CSV is spooled to a temporary file, not yet published. */
    CSV_SPOOLED(Stage.CSV_WRITE, false),
    /** The k-th request's output CSV is published; its record still says PROCESSING. */
    CSV_PUBLISHED(Stage.CSV_WRITE, false),
    /** The k-th request's record is terminal; its webhook has not been sent. */
    FINISHED(Stage.WEBHOOK, false),
    /** The receiver holds the k-th webhook POST; the process dies before the answer. */
    WEBHOOK_RECEIVED(Stage.WEBHOOK, false),
    /** The k-th request's first webhook attempt failed (503) and was recorded; a retry is due. */
    WEBHOOK_RETRYING(Stage.WEBHOOK, false);

    /** The part of the work a point belongs to. */
    public enum Stage { FETCH, ENCODE, PUBLISH, CSV_WRITE, WEBHOOK }

    private final Stage stage;
    private final boolean perImage;

    KillPoint(Stage stage, boolean perImage) {
        this.stage = stage;
        this.perImage = perImage;
    }

    public Stage stage() {
        return stage;
    }

    /** Whether k counts images (else requests). */
    public boolean perImage() {
        return perImage;
    }
}
