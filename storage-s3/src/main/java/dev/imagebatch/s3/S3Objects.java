package dev.imagebatch.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The reads both S3 stores make: whole small objects, and paginated listings. */
final class S3Objects {

    private final S3Client s3;
    private final String bucket;
    private final int listPageSize;

    S3Objects(S3Client s3, String bucket, int listPageSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.listPageSize = listPageSize;
    }

    /** Every object under {@code keyPrefix} (after {@code startAfter} if not null), one page after another. */
    List<S3Object> list(String keyPrefix, String delimiter, String startAfter) throws IOException {
        List<S3Object> objects = new ArrayList<>();
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix)
                .maxKeys(listPageSize);
        if (delimiter != null) {
            request.delimiter(delimiter);
        }
        if (startAfter != null) {
            request.startAfter(startAfter);
        }
        String token = null;
        try {
            do {
                ListObjectsV2Response page = s3.listObjectsV2(request.continuationToken(token).build());
                objects.addAll(page.contents());
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw S3Errors.io("Listing", bucket, keyPrefix, e);
        }
        return objects;
    }

    /** The object at {@code key} with its response (for the ETag); empty if there is none. */
    Optional<ResponseBytes<GetObjectResponse>> get(String key) throws IOException {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
        } catch (SdkException e) {
            if (S3Errors.noSuchKey(e)) {
                return Optional.empty();
            }
            throw S3Errors.io("Reading", bucket, key, e);
        }
    }

    /** The ETag of a read object, which conditional writes name. */
    String etag(String key, ResponseBytes<GetObjectResponse> object) throws IOException {
        String etag = object.response().eTag();
        if (etag == null) {
            throw new IOException("Reading s3://" + bucket + "/" + key + " failed: the server sent no ETag");
        }
        return etag;
    }
}
