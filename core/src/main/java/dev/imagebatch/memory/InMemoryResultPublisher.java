package dev.imagebatch.memory;

import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.ResultPublisher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ResultPublisher} that keeps objects in this JVM's heap, for tests and demos. URLs are
 * {@code baseUrl + key} (default base {@code memory:/}). Thread-safe.
 */
public final class InMemoryResultPublisher implements ResultPublisher {

    /** One stored object. */
    public record StoredObject(byte[] bytes, String mediaType) {
        public StoredObject {
            bytes = bytes.clone();
            Objects.requireNonNull(mediaType, "mediaType");
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    private final String baseUrl;
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();

    /** A publisher whose URLs look like {@code memory:/images/...}. */
    public InMemoryResultPublisher() {
        this("memory:/");
    }

    /**
     * @param baseUrl prefix of every URL handed out; a key is appended to it
     */
    public InMemoryResultPublisher(String baseUrl) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        URI.create(baseUrl + "x");
    }

    @Override
    public URI publish(String key, ObjectContent content) throws IOException {
        ObjectKeys.requireValid(key);
        try (InputStream in = content.openStream()) {
            objects.put(key, new StoredObject(in.readAllBytes(), content.mediaType()));
        }
        return URI.create(baseUrl + key);
    }

    @Override
    public Optional<InputStream> open(String key) {
        ObjectKeys.requireValid(key);
        StoredObject object = objects.get(key);
        return object == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(object.bytes));
    }

    /** The object stored under {@code key}, if any. */
    public Optional<StoredObject> get(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    /** Every key stored, sorted. */
    public Set<String> keys() {
        return new TreeSet<>(objects.keySet());
    }
}
