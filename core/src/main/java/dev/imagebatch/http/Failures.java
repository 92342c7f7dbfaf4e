package dev.imagebatch.http;

import dev.imagebatch.ErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Maps transport exceptions to classified, possibly retryable, fetch failures. */
final class Failures {

    private Failures() {
    }

    /**
     * A failure before response headers arrived.
     *
     * @param pastDeadline whether the attempt's call timeout had run out when it happened
     */
    static FetchFailure beforeResponse(IOException e, String host, boolean pastDeadline) {
        if (e instanceof BlockedAddressException) {
            return FetchFailure.permanent(ErrorCode.BLOCKED_ADDRESS, e.getMessage(), e);
        }
        if (e instanceof UnknownHostException) {
            return FetchFailure.permanent(ErrorCode.UNKNOWN_HOST, "host " + host + " could not be resolved", e);
        }
        if (isConnectTimeout(e)) {
            return FetchFailure.retryable(ErrorCode.TIMEOUT, "connecting to " + host + " timed out", e);
        }
        if (pastDeadline || e instanceof InterruptedIOException) {
            return FetchFailure.permanent(ErrorCode.TIMEOUT, timeoutMessage(host, pastDeadline, "a response"), e);
        }
        if (e instanceof SSLException || e instanceof ProtocolException) {
            // Certificate and protocol errors do not fix themselves on a second try.
            return FetchFailure.permanent(ErrorCode.CONNECTION_ERROR, describe(host, e), e);
        }
        return FetchFailure.retryable(ErrorCode.CONNECTION_ERROR, describe(host, e), e);
    }

    /** A failure while reading the body of a 2xx response; never retried. */
    static FetchFailure whileReading(IOException e, String host, boolean pastDeadline) {
        if (pastDeadline || e instanceof InterruptedIOException) {
            return FetchFailure.permanent(ErrorCode.TIMEOUT, timeoutMessage(host, pastDeadline, "the body"), e);
        }
        return FetchFailure.permanent(ErrorCode.INCOMPLETE_BODY,
                "the connection to " + host + " ended before the whole body was read", e);
    }

    private static String timeoutMessage(String host, boolean pastDeadline, String what) {
        return pastDeadline
                ? "call timeout expired waiting for " + what + " from " + host
                : "read timeout expired waiting for " + what + " from " + host;
    }

    private static boolean isConnectTimeout(IOException e) {
        return e instanceof SocketTimeoutException && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
    }

    private static String describe(String host, IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "connection to " + host + " failed: " + detail;
    }
}
