package dev.imagebatch.internal;

/** Packs a (row, index) pair into one map key. */
final class Positions {

    private Positions() {
    }

    static long of(int row, int index) {
        return ((long) row << 32) | (index & 0xffffffffL);
    }
}
