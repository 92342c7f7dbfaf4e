package dev.imagebatch.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes the test server behave like Amazon S3 where S3Proxy 4.1.0 differs in a way the tests
 * depend on: conditional {@code PutObject} is atomic, and a public-read bucket's objects can be
 * read anonymously.
 *
 * <p>S3Proxy 4.1.0 checks {@code If-Match} by reading the object's metadata and then writing, with
 * nothing in between to stop a second writer holding the same ETag: two racing {@code If-Match}
 * writes can both succeed, and the racing-writer tests then (rightly) see lost updates. This
 * wrapper re-checks {@code If-Match} / {@code If-None-Match} and writes under a lock per object,
 * so exactly one of several writers holding the same ETag wins and the others get 412.
 * {@code TestServerConditionalWritesTest} shows the difference.
 *
 * <p>An optional {@link WriteObserver} sees the successful writes of the keys it selects, under the
 * same lock, so it records them in the order the server applied them.
 */
public final class AtomicConditionalWrites extends ForwardingBlobStore {

    /** Told of every successful write whose key it selects, in the order the writes took effect on that key. */
    public interface WriteObserver {
        boolean selects(String key);

        void written(String key, byte[] body);
    }

    private final ReentrantLock[] stripes = new ReentrantLock[64];
    private final WriteObserver observer;

    public AtomicConditionalWrites(BlobStore delegate) {
        this(delegate, null);
    }

    public AtomicConditionalWrites(BlobStore delegate, WriteObserver observer) {
        super(delegate);
        this.observer = observer;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        ReentrantLock lock = stripes[Math.floorMod((request.bucket() + "/" + request.key()).hashCode(), stripes.length)];
        lock.lock();
        try {
            if (request.ifMatch() != null || request.ifNoneMatch() != null) {
                HeadObjectResponse current = delegate().blobMetadataIfPresent(request.bucket(), request.key());
                if (request.ifNoneMatch() != null && current != null) {
                    throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
                }
                if (request.ifMatch() != null) {
                    if (current == null) {
                        throw new S3ProxyException(S3ErrorCode.NO_SUCH_KEY);
                    }
                    if (!unquoted(request.ifMatch()).equals(unquoted(current.eTag()))) {
                        throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
                    }
                }
            }
            if (observer == null || !observer.selects(request.key())) {
                return delegate().putBlob(request, payload);
            }
            byte[] body = payload.readAllBytes();
            PutObjectResponse response = delegate().putBlob(request, new ByteArrayInputStream(body));
            observer.written(request.key(), body);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Objects in a public-read bucket are readable by anyone, as a public-read bucket policy makes
     * them on S3; S3Proxy by itself only honours per-object ACLs for anonymous reads.
     */
    @Override
    public ObjectCannedACL getBlobAccess(String container, String name) {
        if (delegate().getContainerAccess(container) == BucketCannedACL.PUBLIC_READ) {
            return ObjectCannedACL.PUBLIC_READ;
        }
        return delegate().getBlobAccess(container, name);
    }

    private static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
