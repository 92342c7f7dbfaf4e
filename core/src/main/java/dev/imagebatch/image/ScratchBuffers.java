package dev.imagebatch.image;

import java.lang.ref.SoftReference;
import java.util.Arrays;

/**
 * The large working arrays of one image step (DCT coefficients, component planes, the unstuffed
 * scan data, the pixels handed to the JPEG writer), kept by the thread between images so that the
 * next image of a similar size reuses them. Allocating and collecting 20-30 MB per image costs
 * more than the copying it saves: arrays of a megabyte or more are "humongous" for the G1
 * collector, and a stream of them starts a concurrent collection cycle every few images.
 *
 * <p><b>Bounds.</b> A thread keeps at most {@code retainedBytes} of arrays in total (see
 * {@link ImageSettings#retainedBytesPerThread()}); a request beyond that gets a fresh array that
 * is not kept. The kept set is softly referenced, so the collector can take it back from an idle
 * thread when memory runs short; it never causes an {@link OutOfMemoryError}. While an image is
 * processed its arrays count in the {@link PixelBudget} like any other working memory.
 *
 * <p><b>Use.</b> {@link #lease(long)} in a try-with-resources block around one image step. Each
 * {@link Slot} holds one array; the caller owns it until the same slot is asked for again or the
 * lease ends. {@code shorts} and {@code longs} are zero over the requested length; {@code bytes}
 * have undefined content. Arrays may be longer than requested. Not thread-safe: a lease belongs to
 * the thread that took it; a nested lease on the same thread gets arrays of its own.
 */
final class ScratchBuffers implements AutoCloseable {

    /** What an array is for; each slot holds one array. */
    enum Slot {
        /** The entropy-coded data of a scan without stuffing. */
        SCAN_DATA,
        /** Kept DCT coefficients of components 0, 1, 2. */
        COEFFICIENTS_0, COEFFICIENTS_1, COEFFICIENTS_2,
        /** Non-zero masks of the blocks of components 0, 1, 2. */
        MASKS_0, MASKS_1, MASKS_2,
        /** Decoded planes of components 0, 1, 2. */
        PLANE_0, PLANE_1, PLANE_2,
        /** Interleaved BGR pixels for the JPEG writer. */
        BGR;

        private static final Slot[] VALUES = values();

        /** The slot of {@code first} shifted by a component index (0..2). */
        static Slot forComponent(Slot first, int component) {
            if (component < 0 || component > 2) {
                throw new IllegalArgumentException("component " + component);
            }
            return VALUES[first.ordinal() + component];
        }
    }

    private static final ThreadLocal<SoftReference<ScratchBuffers>> KEPT = new ThreadLocal<>();

    private final long retainedBytes;
    private final Object[] arrays = new Object[Slot.VALUES.length];
    private final long[] sizes = new long[Slot.VALUES.length];
    private long totalBytes;
    private boolean leased;

    private ScratchBuffers(long retainedBytes) {
        this.retainedBytes = retainedBytes;
    }

    /**
     * The calling thread's buffers, for one image step; close to hand them back.
     *
     * @param retainedBytes the most this thread keeps between images; 0 keeps nothing
     */
    static ScratchBuffers lease(long retainedBytes) {
        if (retainedBytes <= 0) {
            return new ScratchBuffers(0).leased();
        }
        SoftReference<ScratchBuffers> ref = KEPT.get();
        ScratchBuffers kept = ref == null ? null : ref.get();
        if (kept != null && kept.leased) {
            return new ScratchBuffers(0).leased(); // nested use on this thread: nothing shared, nothing kept
        }
        if (kept == null || kept.retainedBytes != retainedBytes) {
            kept = new ScratchBuffers(retainedBytes);
            KEPT.set(new SoftReference<>(kept));
        }
        return kept.leased();
    }

    private ScratchBuffers leased() {
        leased = true;
        return this;
    }

    /** At least {@code length} shorts, zero up to {@code length}. */
    short[] shorts(Slot slot, int length) {
        Object held = arrays[slot.ordinal()];
        if (held instanceof short[] array && array.length >= length) {
            Arrays.fill(array, 0, length, (short) 0);
            return array;
        }
        short[] array = new short[grown(slot, length, 2)];
        return keep(slot, array, 2L * array.length);
    }

    /** At least {@code length} longs, zero up to {@code length}. */
    long[] longs(Slot slot, int length) {
        Object held = arrays[slot.ordinal()];
        if (held instanceof long[] array && array.length >= length) {
            Arrays.fill(array, 0, length, 0L);
            return array;
        }
        long[] array = new long[grown(slot, length, 8)];
        return keep(slot, array, 8L * array.length);
    }

    /** At least {@code length} bytes of undefined content. */
    byte[] bytes(Slot slot, int length) {
        Object held = arrays[slot.ordinal()];
        if (held instanceof byte[] array && array.length >= length) {
            return array;
        }
        byte[] array = new byte[grown(slot, length, 1)];
        return keep(slot, array, array.length);
    }

    /**
     * The length to allocate for a slot that must grow to {@code length}: half as much again as
     * the array it replaces if that is more and fits within the bound, so that a thread seeing
     * images of growing sizes does not reallocate for every one.
     */
    private int grown(Slot slot, int length, int elementBytes) {
        long previous = sizes[slot.ordinal()] / elementBytes;
        long roomy = Math.min(previous + previous / 2, Integer.MAX_VALUE - 8);
        long room = (retainedBytes - (totalBytes - sizes[slot.ordinal()])) / elementBytes;
        return roomy > length && roomy <= room ? (int) roomy : length;
    }

    /** Keeps {@code array} in {@code slot} in place of the array there if the total stays within bounds. */
    private <T> T keep(Slot slot, T array, long bytes) {
        int i = slot.ordinal();
        long withoutOld = totalBytes - sizes[i];
        arrays[i] = null; // the old one is too small either way
        sizes[i] = 0;
        totalBytes = withoutOld;
        if (withoutOld + bytes <= retainedBytes) {
            arrays[i] = array;
            sizes[i] = bytes;
            totalBytes = withoutOld + bytes;
        }
        return array;
    }

    /** Bytes of arrays kept; for tests. */
    long keptBytes() {
        return totalBytes;
    }

    @Override
    public void close() {
        leased = false;
    }
}
