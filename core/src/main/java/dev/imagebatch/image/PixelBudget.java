package dev.imagebatch.image;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds how many decoded pixels are held in memory at once across all threads sharing this
 * budget, so that many large images processed concurrently cannot exhaust the heap.
 *
 * <p>{@link #acquire(long)} blocks until the requested pixels are available and returns a
 * {@link Permit} that gives them back when closed. Waiters are served first come, first served,
 * so a large image is not starved by a stream of small ones. A request larger than the whole
 * budget is reduced to the whole budget: such an image still runs, but alone.
 *
 * <p>Thread-safe. One budget is typically shared by every {@link ImageCodec} of an application.
 */
public final class PixelBudget {

    /** The default budget: 200 megapixels, about 800 MB as 32-bit pixels. */
    public static final long DEFAULT_MAX_PIXELS_IN_FLIGHT = 200_000_000L;

    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long inUse;

    private PixelBudget(long capacity) {
        this.capacity = capacity;
    }

    /**
     * A budget of {@code maxPixelsInFlight} pixels.
     *
     * @param maxPixelsInFlight at least 1
     * @throws IllegalArgumentException if {@code maxPixelsInFlight < 1}
     */
    public static PixelBudget of(long maxPixelsInFlight) {
        if (maxPixelsInFlight < 1) {
            throw new IllegalArgumentException("maxPixelsInFlight must be at least 1, got " + maxPixelsInFlight);
        }
        return new PixelBudget(maxPixelsInFlight);
    }

    /** A new budget of {@value #DEFAULT_MAX_PIXELS_IN_FLIGHT} pixels. */
    public static PixelBudget defaults() {
        return of(DEFAULT_MAX_PIXELS_IN_FLIGHT);
    }

    /** The budget's size in pixels. */
    public long maxPixelsInFlight() {
        return capacity;
    }

    /** Pixels not currently held by any permit (a snapshot, for monitoring and tests). */
    public long available() {
        lock.lock();
        try {
            return capacity - inUse;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes {@code pixels} from the budget, waiting as long as needed.
     *
     * @param pixels at least 0; values above {@link #maxPixelsInFlight()} take the whole budget
     * @return a permit to close (once) when the pixels are no longer held; never {@code null}
     * @throws InterruptedException     if the thread is interrupted while waiting; nothing is taken
     * @throws IllegalArgumentException if {@code pixels < 0}
     */
    public Permit acquire(long pixels) throws InterruptedException {
        if (pixels < 0) {
            throw new IllegalArgumentException("pixels must be at least 0, got " + pixels);
        }
        long need = Math.min(pixels, capacity);
        Object ticket = new Object();
        lock.lockInterruptibly();
        try {
            queue.addLast(ticket);
            try {
                while (queue.peekFirst() != ticket || inUse + need > capacity) {
                    changed.await();
                }
            } catch (InterruptedException e) {
                queue.remove(ticket);
                changed.signalAll(); // the next waiter may have become the head
                throw e;
            }
            queue.removeFirst();
            inUse += need;
            changed.signalAll(); // the new head may fit as well
        } finally {
            lock.unlock();
        }
        return new Permit(need);
    }

    private void release(long pixels) {
        lock.lock();
        try {
            inUse -= pixels;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PixelBudget[" + available() + " of " + capacity + " pixels available]";
    }

    /**
     * Pixels held from a {@link PixelBudget}. {@link #close()} returns them; closing again does
     * nothing. Thread-safe.
     */
    public final class Permit implements AutoCloseable {
        private final long pixels;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Permit(long pixels) {
            this.pixels = pixels;
        }

        /** The pixels this permit holds (the request, capped at the budget's size). */
        public long pixels() {
            return pixels;
        }

        /** Gives the pixels back to the budget; idempotent. */
        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(pixels);
            }
        }
    }
}
