package dev.imagebatch.s3;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An S3-compatible server (S3Proxy over an in-memory blob store) on 127.0.0.1 with a random port
 * and AWS signature V4 authentication, for tests that talk HTTP to a real S3 API. Its conditional
 * writes are made atomic by {@link AtomicConditionalWrites}.
 *
 * <p>{@link #shared()} is one server for the whole test JVM, started on first use and stopped at
 * JVM exit; tests isolate themselves with their own bucket ({@link #newBucket()}). A test that
 * stops the server creates its own with {@link #start()}. {@link #stop()} keeps the blob store, so
 * {@link #restart()} brings the same objects back on the same port.
 */
public final class S3TestServer implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final Region REGION = Region.US_EAST_1;

    private static S3TestServer shared;

    private final BlobStore blobStore;
    private S3Proxy proxy;
    private int port;
    private S3Client admin;

    private S3TestServer(BlobStore blobStore) {
        this.blobStore = blobStore;
    }

    /** A new server, started, whose conditional writes are atomic (see {@link AtomicConditionalWrites}). */
    public static S3TestServer start() throws Exception {
        return start(new AtomicConditionalWrites(new TransientNio2BlobStore()));
    }

    /** A new server like {@link #start()} that also reports writes to {@code observer}. */
    public static S3TestServer startObserved(AtomicConditionalWrites.WriteObserver observer) throws Exception {
        return start(new AtomicConditionalWrites(new TransientNio2BlobStore(), observer));
    }

    /**
     * A new server, started, whose atomic store is wrapped by {@code wrapping} (to inject faults).
     *
     * @param wrapping given the store the server would use, returns the one it uses
     */
    static S3TestServer start(java.util.function.UnaryOperator<BlobStore> wrapping) throws Exception {
        return start(wrapping.apply(new AtomicConditionalWrites(new TransientNio2BlobStore())));
    }

    /** A new server over S3Proxy's in-memory store as it comes, without the atomic conditional writes. */
    public static S3TestServer startUnmodified() throws Exception {
        return start(new TransientNio2BlobStore());
    }

    private static S3TestServer start(BlobStore store) throws Exception {
        S3TestServer server = new S3TestServer(store);
        server.launch(0);
        return server;
    }

    /** The server shared by every test of this JVM. */
    public static synchronized S3TestServer shared() throws Exception {
        if (shared == null) {
            shared = start();
            S3TestServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3-test-server-stop"));
        }
        return shared;
    }

    private void launch(int requestedPort) throws Exception {
        S3Proxy created = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:" + requestedPort))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .jettyMaxThreads(32)
                .stopTimeout(0) // stop() drops every connection at once, as a crashed server would
                .build();
        created.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"STARTED".equals(created.getState())) {
            if (System.nanoTime() > deadline) {
                created.stop();
                throw new IllegalStateException("S3Proxy did not start: " + created.getState());
            }
            Thread.sleep(10);
        }
        proxy = created;
        port = created.getPort();
        if (admin == null) {
            admin = client();
        }
    }

    /** The endpoint, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** A new client for this server, configured the way a host would for an S3-compatible store. */
    public S3Client client() {
        return client(endpoint());
    }

    /** A client for the S3 API at {@code endpoint}, with this server's credentials. */
    public static S3Client client(URI endpoint) {
        return client(endpoint, ACCESS_KEY, SECRET_KEY);
    }

    /** A client for the S3 API at {@code endpoint} with the given credentials. */
    public static S3Client client(URI endpoint, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(true)
                        // A rejected conditional PUT sent with aws-chunked encoding would leave
                        // the connection in a broken state on this server.
                        .chunkedEncodingEnabled(false)
                        .build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(30))
                        .apiCallAttemptTimeout(Duration.ofSeconds(10))
                        .build())
                .build();
    }

    /** A presigner for this server. */
    public S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(endpoint())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    /** Creates a private bucket with a fresh name and returns the name. */
    public String newBucket() {
        String name = "b-" + UUID.randomUUID().toString().substring(0, 18);
        admin.createBucket(b -> b.bucket(name));
        return name;
    }

    /** Creates a bucket whose objects anyone may read and returns the name. */
    public String newPublicBucket() {
        String name = "pub-" + UUID.randomUUID().toString().substring(0, 18);
        admin.createBucket(b -> b.bucket(name).acl(BucketCannedACL.PUBLIC_READ));
        return name;
    }

    /** The client used to create buckets; tests may use it to look at objects directly. */
    public S3Client admin() {
        return admin;
    }

    /** Stops answering (connections are refused); stored objects are kept for {@link #restart()}. */
    public synchronized void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    /** Starts again on the same port with the same objects. */
    public synchronized void restart() throws Exception {
        if (proxy == null) {
            launch(port);
        }
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (Exception e) {
            // best effort at teardown
        }
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
