package dev.imagebatch.s3;

import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes the test server answer object requests (PUT, GET, HEAD, list) with errors, as a struggling
 * S3 does: every one with 500 while {@link #failAll(boolean)} is on, every {@code n}-th with 500
 * after {@link #failEvery(int)} (each object and operation at most once, so a retry succeeds), and every {@code n}-th conditional PUT with 412 (a writer that
 * lost a race) after {@link #loseRaceEvery(int)}. A refused request changes nothing. Counts what
 * it injected.
 */
final class FaultyBlobStore extends ForwardingBlobStore {

    private volatile boolean failAll;
    private volatile int failEvery;
    private volatile int loseRaceEvery;
    private final AtomicLong calls = new AtomicLong();
    private final java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicLong conditionalPuts = new AtomicLong();
    private final AtomicInteger injected500 = new AtomicInteger();
    private final AtomicInteger injected412 = new AtomicInteger();

    FaultyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    void failAll(boolean on) {
        failAll = on;
    }

    void failEvery(int n) {
        failEvery = n;
    }

    void loseRaceEvery(int n) {
        loseRaceEvery = n;
    }

    int injected500() {
        return injected500.get();
    }

    int injected412() {
        return injected412.get();
    }

    private void maybeFail(String operation, String bucket, String key) {
        int every = failEvery;
        if (failAll || (every > 0 && calls.incrementAndGet() % every == 0
                && failedOnce.add(operation + " " + bucket + "/" + key))) {
            injected500.incrementAndGet();
            throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "injected fault");
        }
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        maybeFail("PUT", request.bucket(), request.key());
        int every = loseRaceEvery;
        if (every > 0 && request.ifMatch() != null && conditionalPuts.incrementAndGet() % every == 0) {
            injected412.incrementAndGet();
            throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
        }
        return super.putBlob(request, payload);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        maybeFail("GET", request.bucket(), request.key());
        return super.getBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        maybeFail("HEAD", request.bucket(), request.key());
        return super.blobMetadata(request);
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        maybeFail("LIST", request.bucket(), request.prefix() + "?" + request.continuationToken());
        return super.list(request);
    }
}
