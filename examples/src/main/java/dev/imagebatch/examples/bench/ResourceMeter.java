package dev.imagebatch.examples.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples what a benchmark reports about the process: CPU time (all threads), peak used heap
 * (sampled every 20 ms) and peak resident set size (the kernel's high-water mark, Linux only).
 */
final class ResourceMeter implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final AtomicLong peakHeap = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "bench-heap-sampler");
        thread.setDaemon(true);
        return thread;
    });

    ResourceMeter() {
        sampler.scheduleAtFixedRate(this::sample, 0, 20, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        long used = memory.getHeapMemoryUsage().getUsed();
        peakHeap.accumulateAndGet(used, Math::max);
    }

    /** Process CPU time so far, in nanoseconds. */
    long processCpuNanos() {
        return os.getProcessCpuTime();
    }

    /** The highest used heap seen since this meter started, in bytes. */
    long peakHeapBytes() {
        sample();
        return peakHeap.get();
    }

    /** Used heap right after a full collection, in bytes: what the process really holds. */
    long heapAfterGc() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Peak resident set size of the process in bytes (VmHWM), or -1 where /proc is unavailable. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
