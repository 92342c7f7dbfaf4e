package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reuse of working arrays between images: bounds, zeroing, nesting, and outputs that do not depend on it. */
class ScratchBuffersTest {

    private static final ScratchBuffers.Slot SLOT = ScratchBuffers.Slot.COEFFICIENTS_1;

    @Test
    void aThreadGetsItsArraysBackZeroedInTheNextLease() {
        short[] first;
        try (ScratchBuffers scratch = ScratchBuffers.lease(1 << 20)) {
            first = scratch.shorts(SLOT, 1000);
            first[999] = 7;
            scratch.longs(ScratchBuffers.Slot.MASKS_1, 10)[3] = 5;
        }
        try (ScratchBuffers scratch = ScratchBuffers.lease(1 << 20)) {
            short[] again = scratch.shorts(SLOT, 500);
            assertThat(again).isSameAs(first);
            assertThat(again[499]).isZero();
            assertThat(again[999]).as("beyond the requested length: not the caller's").isEqualTo((short) 7);
            assertThat(scratch.longs(ScratchBuffers.Slot.MASKS_1, 10)).containsOnly(0L);
        }
    }

    @Test
    void keepsNoMoreThanItsBoundAndNothingWithZero() {
        try (ScratchBuffers scratch = ScratchBuffers.lease(1000)) {
            byte[] small = scratch.bytes(ScratchBuffers.Slot.PLANE_0, 600);
            byte[] tooMuch = scratch.bytes(ScratchBuffers.Slot.PLANE_1, 600);
            assertThat(scratch.keptBytes()).isEqualTo(600);
            assertThat(scratch.bytes(ScratchBuffers.Slot.PLANE_0, 600)).isSameAs(small);
            assertThat(scratch.bytes(ScratchBuffers.Slot.PLANE_1, 600)).isNotSameAs(tooMuch);
            byte[] larger = scratch.bytes(ScratchBuffers.Slot.PLANE_0, 2000);
            assertThat(larger).hasSize(2000);
            assertThat(scratch.keptBytes()).as("the old array is dropped, the new one is over the bound").isZero();
        }
        try (ScratchBuffers scratch = ScratchBuffers.lease(0)) {
            byte[] a = scratch.bytes(ScratchBuffers.Slot.BGR, 10);
            assertThat(scratch.bytes(ScratchBuffers.Slot.BGR, 10)).isNotSameAs(a);
            assertThat(scratch.keptBytes()).isZero();
        }
    }

    @Test
    void aGrowingSlotGetsHeadroomWithinTheBound() {
        try (ScratchBuffers scratch = ScratchBuffers.lease(1000)) {
            scratch.bytes(ScratchBuffers.Slot.BGR, 100);
            byte[] grown = scratch.bytes(ScratchBuffers.Slot.BGR, 120);
            assertThat(grown).hasSize(150);
            assertThat(scratch.bytes(ScratchBuffers.Slot.BGR, 140)).isSameAs(grown);
            assertThat(scratch.bytes(ScratchBuffers.Slot.BGR, 700)).hasSize(700);
            assertThat(scratch.bytes(ScratchBuffers.Slot.BGR, 800)).as("no headroom past the bound").hasSize(800);
            assertThat(scratch.keptBytes()).isEqualTo(800);
        }
    }

    @Test
    void aNestedLeaseOnTheSameThreadSharesNothing() {
        try (ScratchBuffers outer = ScratchBuffers.lease(1 << 20)) {
            byte[] a = outer.bytes(ScratchBuffers.Slot.SCAN_DATA, 100);
            try (ScratchBuffers inner = ScratchBuffers.lease(1 << 20)) {
                assertThat(inner).isNotSameAs(outer);
                assertThat(inner.bytes(ScratchBuffers.Slot.SCAN_DATA, 100)).isNotSameAs(a);
            }
            assertThat(outer.bytes(ScratchBuffers.Slot.SCAN_DATA, 100)).isSameAs(a);
        }
    }

    @Test
    void bgrPixelsRoundTripAndIgnoreTheSpareEndOfTheirArray() {
        RgbPixels rgb = new RgbPixels(3, 2, new int[] {0x102030, 0xFFFFFF, 0, 0x800000, 0x008000, 0x000080});
        byte[] buffer = new byte[3 * 2 * 3 + 5];
        BgrPixels bgr = BgrPixels.of(rgb, buffer);
        assertThat(bgr.toRgb().rgb()).isEqualTo(rgb.rgb());
        assertThat(bgr.toBufferedImage().getType()).isEqualTo(java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        assertThat(bgr.toBufferedImage().getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x102030);
        assertThat(bgr.toBufferedImage().getRGB(2, 1) & 0xFFFFFF).isEqualTo(0x000080);
    }

    @Test
    void codecOutputDoesNotDependOnWhatTheThreadProcessedBefore() throws Exception {
        ImageCodec reusing = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());
        ImageCodec fresh = new ImageCodec(ImageSettings.builder().retainedBytesPerThread(0).build(),
                PixelBudget.defaults());
        List<byte[]> inputs = new ArrayList<>();
        // Large then smaller images, of several layouts, so that reused arrays hold older data.
        inputs.add(JpegFixtures.jpeg(JpegFixtures.detailed(301, 203), 0.9f, new int[] {2, 2, 1, 1, 1, 1}, true, 0));
        inputs.add(JpegFixtures.jpeg(JpegFixtures.detailed(97, 61), 0.9f, new int[] {1, 1, 1, 1, 1, 1}, false, 3));
        inputs.add(JpegFixtures.jpeg(JpegFixtures.detailed(120, 80), 0.8f, new int[] {2, 1, 1, 1, 1, 1}, true, 0));
        inputs.add(Fixtures.png(Fixtures.picture(90, 70)));
        inputs.add(Fixtures.withExifOrientation(Fixtures.jpeg(Fixtures.picture(83, 41), 0.9f), 6));
        inputs.add(JpegFixtures.jpeg(JpegFixtures.detailed(33, 17), 0.7f, new int[] {2, 2, 1, 1, 1, 1}, false, 0));
        for (byte[] input : inputs) {
            reusing.process(input);
        }
        for (byte[] input : inputs) {
            assertThat(reusing.process(input).jpeg()).isEqualTo(fresh.process(input).jpeg());
        }
    }
}
