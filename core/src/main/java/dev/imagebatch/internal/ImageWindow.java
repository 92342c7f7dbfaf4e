package dev.imagebatch.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The images one run may have in flight: a slot in the run's own window and one in the
 * service-wide window ({@link EngineContext#imageSlots()}) per image, so neither a single run nor
 * all runs together hold more downloaded bytes and pixels than the settings allow. Waiting for a
 * slot gives up when the run is asked to stop.
 */
final class ImageWindow {

    private final Semaphore own;
    private final int size;
    private final Semaphore shared;
    private final BooleanSupplier stopping;

    ImageWindow(int size, Semaphore shared, BooleanSupplier stopping) {
        this.own = new Semaphore(size);
        this.size = size;
        this.shared = shared;
        this.stopping = stopping;
    }

    /** Waits for room in both windows; false (holding nothing) if the run is stopping. */
    boolean acquire() throws InterruptedException {
        if (!acquire(own)) {
            return false;
        }
        if (!acquire(shared)) {
            own.release();
            return false;
        }
        return true;
    }

    /** Gives back the slots of one finished image. */
    void release() {
        shared.release();
        own.release();
    }

    /** Waits until every image in flight has finished. */
    void awaitIdle() throws InterruptedException {
        own.acquire(size);
        own.release(size);
    }

    private boolean acquire(Semaphore slots) throws InterruptedException {
        while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            if (stopping.getAsBoolean()) {
                return false;
            }
        }
        if (stopping.getAsBoolean()) {
            slots.release();
            return false;
        }
        return true;
    }
}
