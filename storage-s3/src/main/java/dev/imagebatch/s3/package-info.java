/**
 * imagebatch storage on Amazon S3 or any S3-compatible object store (MinIO, Ceph, R2...):
 * {@link dev.imagebatch.s3.S3ResultPublisher} stores processed images, output CSVs and persisted
 * inputs, and {@link dev.imagebatch.s3.S3StatusStore} keeps request records and per-image results,
 * so that several service instances can share a bucket and a restarted one can resume.
 *
 * <pre>{@code
 * S3Client s3 = S3Client.builder().region(Region.EU_WEST_1).build();   // built and closed by the host
 * ImageProcessingService service = ImageProcessingService.builder()
 *         .statusStore(S3StatusStore.builder(s3, "my-bucket").prefix("imagebatch/").build())
 *         .resultPublisher(S3ResultPublisher.builder(s3, "my-bucket").prefix("imagebatch/")
 *                 .publicBaseUrl(URI.create("https://cdn.example.com/"))
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <p>Both classes use an {@link software.amazon.awssdk.services.s3.S3Client} the host built
 * (region, credentials, endpoint, path-style access, HTTP client and retries are the host's
 * choice); nothing here reads credentials. Object layout under the prefix {@code P}:
 * <pre>
 * P input/&lt;id&gt;.csv                         persisted input           (S3ResultPublisher)
 * P images/&lt;id&gt;/&lt;row&gt;/&lt;index&gt;.jpg         processed images          (S3ResultPublisher)
 * P csv/&lt;id&gt;.csv                           output CSV                (S3ResultPublisher)
 * P status/&lt;id&gt;.json                       request record            (S3StatusStore)
 * P status/&lt;id&gt;/results/&lt;seq&gt;.jsonl       one batch of image results (S3StatusStore)
 * </pre>
 */
package dev.imagebatch.s3;
