package dev.imagebatch.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The bytes of one S3 object, read as the caller goes. A reader may hold the stream open for a
 * long time (the engine reads a request's input row by row while its images are processed), and a
 * connection left idle that long may be dropped; so when a read fails part way, the rest is asked
 * for again from the position reached ({@code Range: bytes=<pos>-}) and only from the same version
 * of the object ({@code If-Match: <etag>}), a few times with a growing pause. SDK exceptions and a
 * changed object surface as {@link IOException}s naming the object. Not thread-safe, like any
 * stream.
 */
final class ResumingObjectStream extends InputStream {

    private static final Logger LOG = LoggerFactory.getLogger(ResumingObjectStream.class);

    /** Resumptions in a row without progress before giving up. */
    static final int MAX_RESUMES = 3;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String etag;
    private final long length;
    private final long pauseMillis;
    private InputStream current;
    private long position;
    private boolean closed;

    ResumingObjectStream(S3Client s3, String bucket, String key, ResponseInputStream<GetObjectResponse> first,
                         long pauseMillis) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.current = first;
        this.etag = first.response().eTag();
        Long contentLength = first.response().contentLength();
        this.length = contentLength == null ? -1 : contentLength;
        this.pauseMillis = pauseMillis;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream of s3://" + bucket + "/" + key + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        for (int failures = 0; ; failures++) {
            IOException failure;
            try {
                int n = current.read(buffer, off, len);
                if (n > 0) {
                    position += n;
                    return n;
                }
                if (n < 0 && (length < 0 || position >= length)) {
                    return -1;
                }
                if (n == 0) {
                    continue;
                }
                failure = new IOException("the connection ended after " + position + " of " + length + " bytes");
            } catch (SdkException e) {
                failure = S3Errors.io("Reading", bucket, key, e);
            } catch (IOException e) {
                failure = e;
            }
            if (failure instanceof InterruptedIOException) {
                throw failure;
            }
            if (Thread.currentThread().isInterrupted() || etag == null || failures >= MAX_RESUMES) {
                throw new IOException("Reading s3://" + bucket + "/" + key + " failed at byte " + position
                        + (failures > 0 ? " after " + failures + " attempt(s) to resume" : "") + ": "
                        + failure.getMessage(), failure);
            }
            LOG.debug("Reading s3://{}/{} broke at byte {} ({}); asking for the rest", bucket, key, position,
                    failure.toString());
            pause(failures);
            resume(failure);
        }
    }

    private void resume(IOException cause) throws IOException {
        closeQuietly(current);
        try {
            current = s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + position + "-").ifMatch(etag));
        } catch (SdkException e) {
            if (S3Errors.status(e) == S3Errors.PRECONDITION_FAILED) {
                IOException changed = new IOException("Reading s3://" + bucket + "/" + key
                        + " failed: the object was replaced while it was being read (at byte " + position + ")", e);
                changed.addSuppressed(cause);
                throw changed;
            }
            // Counted as one more failure by the caller's loop on the next read.
            current = InputStream.nullInputStream();
            LOG.debug("Could not resume reading s3://{}/{}: {}", bucket, key, e.toString());
        }
    }

    private void pause(int failures) throws IOException {
        try {
            Thread.sleep(pauseMillis << failures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while resuming s3://" + bucket + "/" + key);
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                current.close();
            } catch (SdkException e) {
                throw S3Errors.io("Closing", bucket, key, e);
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | SdkException ignored) {
            // the connection is already broken
        }
    }
}
