package dev.imagebatch.memory;

import dev.imagebatch.ImageResult;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.StatusStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * A {@link StatusStore} that keeps everything in this JVM's heap: for tests and for hosts that do
 * not need to survive a restart. Thread-safe; never blocks on I/O; never throws {@code IOException}.
 */
public final class InMemoryStatusStore implements StatusStore {

    private final Map<String, RequestRecord> records = new ConcurrentHashMap<>();
    private final Map<String, Map<Long, ImageResult>> images = new ConcurrentHashMap<>();

    @Override
    public void create(RequestRecord record) {
        Objects.requireNonNull(record, "record");
        if (records.putIfAbsent(record.requestId(), record) != null) {
            throw new IllegalStateException("request " + record.requestId() + " already exists");
        }
    }

    @Override
    public Optional<RequestRecord> find(String requestId) {
        return Optional.ofNullable(records.get(requestId));
    }

    @Override
    public RequestRecord update(String requestId, UnaryOperator<RequestRecord> change) {
        Objects.requireNonNull(change, "change");
        RequestRecord updated = records.computeIfPresent(requestId, (id, current) -> {
            RequestRecord next = Objects.requireNonNull(change.apply(current), "change returned null");
            if (!next.requestId().equals(id)) {
                throw new IllegalArgumentException("an update must keep the request id " + id);
            }
            return next;
        });
        if (updated == null) {
            throw new IllegalStateException("no request " + requestId);
        }
        return updated;
    }

    @Override
    public void putImages(String requestId, Collection<ImageResult> results) {
        Map<Long, ImageResult> byPosition = images.computeIfAbsent(requestId, id -> new ConcurrentSkipListMap<>());
        for (ImageResult result : results) {
            byPosition.put(position(result), result);
        }
    }

    @Override
    public List<ImageResult> images(String requestId) {
        Map<Long, ImageResult> byPosition = images.get(requestId);
        return byPosition == null ? List.of() : List.copyOf(byPosition.values());
    }

    @Override
    public List<String> unfinished() {
        List<RequestRecord> open = new ArrayList<>();
        for (RequestRecord record : records.values()) {
            if (record.needsWork()) {
                open.add(record);
            }
        }
        open.sort(Comparator.comparing((RequestRecord r) -> r.status().createdAt()).thenComparing(RequestRecord::requestId));
        return open.stream().map(RequestRecord::requestId).toList();
    }

    /** Orders results by row, then index. */
    private static long position(ImageResult result) {
        return ((long) result.row() << 32) | result.index();
    }
}
