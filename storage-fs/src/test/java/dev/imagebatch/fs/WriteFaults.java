package dev.imagebatch.fs;

import dev.imagebatch.ImageResult;
import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.testing.ForwardingStatusStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystemException;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A switch that makes every write of the wrapped file stores fail the way a full or read-only
 * file system does ({@code FileSystemException} with the operating system's reason), while reads
 * keep working, as they do on such a file system. Counts the writes it refused.
 */
final class WriteFaults {

    /** The reasons the JDK reports for ENOSPC and EROFS. */
    static final String DISK_FULL = "No space left on device";
    static final String READ_ONLY = "Read-only file system";

    private final AtomicReference<String> reason = new AtomicReference<>();
    private final AtomicInteger refused = new AtomicInteger();

    void fail(String osReason) {
        reason.set(osReason);
    }

    void heal() {
        reason.set(null);
    }

    int refused() {
        return refused.get();
    }

    private void check(String what) throws IOException {
        String current = reason.get();
        if (current != null) {
            refused.incrementAndGet();
            throw new FileSystemException(what, null, current);
        }
    }

    StatusStore wrap(StatusStore store) {
        return new ForwardingStatusStore(store) {
            @Override
            public void create(RequestRecord record) throws IOException {
                check("status/" + record.requestId() + ".json");
                super.create(record);
            }

            @Override
            public RequestRecord update(String requestId, UnaryOperator<RequestRecord> change) throws IOException {
                check("status/" + requestId + ".json");
                return super.update(requestId, change);
            }

            @Override
            public void putImages(String requestId, Collection<ImageResult> results) throws IOException {
                check("status/" + requestId + ".results.jsonl");
                super.putImages(requestId, results);
            }
        };
    }

    ResultPublisher wrap(ResultPublisher publisher) {
        return new ResultPublisher() {
            @Override
            public URI publish(String key, ObjectContent content) throws IOException {
                check(key);
                return publisher.publish(key, content);
            }

            @Override
            public Optional<InputStream> open(String key) throws IOException {
                return publisher.open(key);
            }
        };
    }
}
