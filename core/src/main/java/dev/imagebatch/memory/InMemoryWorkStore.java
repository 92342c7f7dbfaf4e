package dev.imagebatch.memory;

import dev.imagebatch.spi.ChunkRecord;
import dev.imagebatch.spi.Versioned;
import dev.imagebatch.spi.WorkPlan;
import dev.imagebatch.spi.WorkStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link WorkStore} in this process's memory, for tests and for several services sharing one
 * JVM. Versions are a process-wide counter, so no version is ever reused. Nothing survives the
 * process.
 */
public final class InMemoryWorkStore implements WorkStore {

    private final Map<String, Versioned<WorkPlan>> plans = new ConcurrentHashMap<>();
    private final Map<String, Versioned<ChunkRecord>> chunks = new ConcurrentHashMap<>();
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public void markOpen(String requestId) {
        open.add(Objects.requireNonNull(requestId, "requestId"));
    }

    @Override
    public Optional<String> createPlan(WorkPlan plan) {
        Versioned<WorkPlan> created = new Versioned<>(plan, nextVersion());
        return plans.putIfAbsent(plan.requestId(), created) == null ? Optional.of(created.version()) : Optional.empty();
    }

    @Override
    public Optional<Versioned<WorkPlan>> findPlan(String requestId) {
        return Optional.ofNullable(plans.get(Objects.requireNonNull(requestId, "requestId")));
    }

    @Override
    public Optional<String> replacePlan(WorkPlan plan, String expectedVersion) {
        Optional<String> version = replace(plans, plan.requestId(), plan, expectedVersion);
        if (version.isPresent() && plan.finished()) {
            open.remove(plan.requestId()); // as S3WorkStore deletes its marker
        }
        return version;
    }

    @Override
    public List<String> openRequests() {
        return open.stream().filter(id -> {
            Versioned<WorkPlan> plan = plans.get(id);
            return plan == null || !plan.value().finished();
        }).toList();
    }

    @Override
    public Optional<String> createChunk(ChunkRecord chunk) {
        Versioned<ChunkRecord> created = new Versioned<>(chunk, nextVersion());
        return chunks.putIfAbsent(key(chunk.requestId(), chunk.chunk()), created) == null
                ? Optional.of(created.version()) : Optional.empty();
    }

    @Override
    public Optional<Versioned<ChunkRecord>> findChunk(String requestId, int chunk) {
        return Optional.ofNullable(chunks.get(key(requestId, chunk)));
    }

    @Override
    public Optional<String> replaceChunk(ChunkRecord chunk, String expectedVersion) {
        return replace(chunks, key(chunk.requestId(), chunk.chunk()), chunk, expectedVersion);
    }

    private <T> Optional<String> replace(Map<String, Versioned<T>> map, String key, T value, String expectedVersion) {
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        Versioned<T> next = new Versioned<>(value, nextVersion());
        // computeIfPresent runs atomically per key: the version check and the write are one step.
        Versioned<T> stored = map.computeIfPresent(key, (k, current) ->
                current.version().equals(expectedVersion) ? next : current);
        return stored == next ? Optional.of(next.version()) : Optional.empty();
    }

    private String nextVersion() {
        return Long.toString(versions.incrementAndGet());
    }

    private static String key(String requestId, int chunk) {
        return Objects.requireNonNull(requestId, "requestId") + "#" + chunk;
    }

    @Override
    public String toString() {
        return "InMemoryWorkStore[" + plans.size() + " plans, " + chunks.size() + " chunks]";
    }
}
