package dev.imagebatch.examples.wiring;

import dev.imagebatch.s3.S3ResultPublisher;
import dev.imagebatch.s3.S3StatusStore;
import dev.imagebatch.s3.S3WorkStore;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Where an S3 bucket is and how to reach it. Credentials are not part of it: the SDK's default
 * provider chain finds them (environment, system properties, profile files, container or instance
 * roles), as it would for any host application.
 *
 * @param bucket    the bucket holding records and objects
 * @param prefix    put in front of every key, such as {@code imagebatch/}; may be empty
 * @param endpoint  an S3-compatible endpoint (MinIO, Ceph...); empty for Amazon S3
 * @param region    the region; empty to let the SDK's default chain decide
 * @param pathStyle address the bucket in the path rather than the host name (most S3-compatible stores)
 * @param publicUrl the URL at which the bucket is publicly readable (URLs are this + prefix + key); empty to hand
 *                  out presigned URLs instead
 */
public record S3Connection(String bucket, String prefix, Optional<URI> endpoint, Optional<String> region,
                           boolean pathStyle, Optional<URI> publicUrl) {

    /** How long presigned URLs stay valid: the longest S3 allows, since they end up in CSV files. */
    public static final Duration PRESIGNED_EXPIRY = Duration.ofDays(7);

    public S3Connection {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(publicUrl, "publicUrl");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("--s3-bucket is required with --storage s3");
        }
    }

    /** Opens a client (and a presigner when URLs are presigned) and the store and publisher over them. */
    Storage open() {
        S3ClientBuilder clientBuilder = S3Client.builder()
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
        endpoint.ifPresent(clientBuilder::endpointOverride);
        region.map(Region::of).ifPresent(clientBuilder::region);
        S3Client client = clientBuilder.build();
        S3Presigner presigner = null;
        try {
            S3StatusStore store = S3StatusStore.builder(client, bucket).prefix(prefix).build();
            S3ResultPublisher.Builder publisher = S3ResultPublisher.builder(client, bucket).prefix(prefix);
            if (publicUrl.isPresent()) {
                publisher.publicBaseUrl(publicUrl.get());
            } else {
                S3Presigner.Builder presignerBuilder = S3Presigner.builder()
                        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
                endpoint.ifPresent(presignerBuilder::endpointOverride);
                region.map(Region::of).ifPresent(presignerBuilder::region);
                presigner = presignerBuilder.build();
                publisher.presignedUrls(presigner, PRESIGNED_EXPIRY);
            }
            List<AutoCloseable> resources = presigner == null ? List.of(client) : List.of(presigner, client);
            S3WorkStore work = S3WorkStore.builder(client, bucket).prefix(prefix).build();
            return new Storage(store, publisher.build(), Optional.empty(), Optional.of(work), resources);
        } catch (RuntimeException e) {
            if (presigner != null) {
                presigner.close();
            }
            client.close();
            throw e;
        }
    }

    /** Opens a client and a status store only, for reading. */
    StatusReader openReader() {
        S3ClientBuilder clientBuilder = S3Client.builder()
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
        endpoint.ifPresent(clientBuilder::endpointOverride);
        region.map(Region::of).ifPresent(clientBuilder::region);
        S3Client client = clientBuilder.build();
        try {
            return new StatusReader(S3StatusStore.builder(client, bucket).prefix(prefix).build(), client);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }
}
