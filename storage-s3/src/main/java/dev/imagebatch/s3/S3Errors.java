package dev.imagebatch.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns AWS SDK exceptions into the {@link IOException}s the SPIs promise. */
final class S3Errors {

    /** HTTP 412: a conditional write's precondition did not hold. */
    static final int PRECONDITION_FAILED = 412;
    /** HTTP 409: S3 refused a conditional write racing another one on the same key. */
    static final int CONFLICT = 409;
    /** HTTP 404. */
    static final int NOT_FOUND = 404;

    private S3Errors() {
    }

    /**
     * An {@link IOException} that says what was being done to which object, keeps the SDK exception
     * as its cause and carries the HTTP status and S3 error code when the server answered. An
     * interrupted call becomes an {@link InterruptedIOException} and the thread's interrupt flag is
     * set again.
     */
    static IOException io(String action, String bucket, String key, SdkException e) {
        String where = "s3://" + bucket + "/" + key;
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException(action + " " + where + " was interrupted");
            interrupted.initCause(e);
            return interrupted;
        }
        return new IOException(action + " " + where + " failed: " + describe(e), e);
    }

    /**
     * Whether the server said the object does not exist (404 {@code NoSuchKey}); a 404 for a
     * missing bucket is not that, it is a failure.
     */
    static boolean noSuchKey(SdkException e) {
        if (e instanceof NoSuchKeyException) {
            return true;
        }
        if (e instanceof S3Exception s3 && s3.statusCode() == NOT_FOUND) {
            String code = s3.awsErrorDetails() != null ? s3.awsErrorDetails().errorCode() : null;
            return "NoSuchKey".equals(code);
        }
        return false;
    }

    /** The HTTP status of a server's error answer, or 0 when the call failed before an answer. */
    static int status(SdkException e) {
        return e instanceof S3Exception s3 ? s3.statusCode() : 0;
    }

    private static String describe(SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() != null ? s3.awsErrorDetails().errorCode() : null;
            return "HTTP " + s3.statusCode() + (code != null ? " " + code : "");
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
