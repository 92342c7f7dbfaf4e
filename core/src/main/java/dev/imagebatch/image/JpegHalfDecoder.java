package dev.imagebatch.image;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes the common kinds of JPEG directly at half size ("shrink on load"): every scan is
 * entropy-decoded into DCT coefficients, then each 8x8 block becomes 4x4 pixels through one
 * 4x4 inverse DCT of its low-frequency coefficients. This costs a fraction of a full decode, and
 * for progressive JPEGs it avoids the JDK reader's full output pass per scan.
 *
 * <h2>What it handles</h2>
 * 8-bit Huffman-coded JPEGs, baseline (SOF0), extended sequential (SOF1) and progressive (SOF2),
 * with one grey component or three YCbCr components (JFIF, Adobe transform 1, or no colour
 * marker with component ids other than R, G, B), any sampling factors 1..4 whose ratios to the
 * largest are whole numbers (4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1...), restart intervals, and an
 * embedded ICC profile only if {@link IccProfiles#isSrgbLike it is sRGB}.
 *
 * <p>Everything else is {@linkplain Declined declined}, for the caller to decode the general
 * way: arithmetic coding, 12-bit or lossless or hierarchical frames, 2 or 4 (CMYK, YCCK) or more
 * components, RGB-stored JPEGs, other ICC profiles, a DNL-defined height, and any data it does
 * not fully understand or that is damaged or truncated (including restart markers out of
 * sequence and entropy-coded data that ends early). It reads hostile input safely: every length,
 * table index, component and scan parameter is validated before use, every loop is bounded by
 * the data or the block count, and memory is allocated only after the frame header's size was
 * checked against the caller's limit.
 *
 * <h2>The half-size transform</h2>
 * The 2x2 mean of an 8-point inverse DCT's outputs equals a 4-point inverse DCT of the
 * coefficients 0..3 weighted by {@code cos(k*pi/16)}, plus terms from coefficients 5..7 that
 * alias onto 3..1 (coefficient 4 cancels). Components stored at full resolution (luma, and chroma
 * in 4:4:4) use the weighted 4x4 part: each output pixel approximates the box mean of its 2x2
 * source pixels, without the aliasing, with the two highest kept frequencies slightly softened
 * (see {@code HALF_SIZE_SOFTENING}); the weights are folded into the dequantisation factors.
 * A component subsampled in a direction (chroma in 4:2:0, 4:2:2...) already has at most the
 * output's resolution there, so it is decoded at its full resolution in that direction (8-point
 * transform) and each output pixel takes the mean of the samples its two source pixels lie in:
 * for the usual factor 2 that is one sample, for 4 a sample shared by two output pixels. Only
 * the coefficients the transforms use are kept (16 per luma block), the others are decoded and
 * dropped; progressive refinement still sees every coefficient's history through one 64-bit
 * mask per block. Colours are converted with the JFIF YCbCr equations.
 *
 * <p>The output has {@code ceil(width / 2) x ceil(height / 2)} pixels: for an odd side the last
 * output pixel covers the last source pixel and the padding the encoder put after it.
 *
 * <p>Each scan's entropy-coded data is first copied without its stuffed bytes and restart
 * markers (whose positions are kept and checked), so the bit reader loads eight bytes at a time
 * and a restart interval that reads past its data is detected exactly.
 *
 * <p>Not thread-safe: one instance decodes one image, once.
 */
final class JpegHalfDecoder {

    /** Why a JPEG is not decoded here; the caller falls back to the general decoder. */
    static final class Declined extends Exception {
        private static final long serialVersionUID = 1L;

        Declined(String message) {
            super(message, null, false, false);
        }
    }

    /** Natural (row-major) index of each zig-zag position. */
    private static final int[] ZIGZAG = {
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
            12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
            35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
            58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};
    /**
     * For kept corners of 4 or 8 columns by 4 or 8 rows (index {@code (cols == 8 ? 1 : 0) + (rows == 8 ? 2 : 0)}):
     * each zig-zag position's slot in the corner ({@code row * cols + column}), or -1.
     */
    private static final int[][] SLOTS = new int[4][64];
    /** The zig-zag positions that have a slot, as bit masks, by the same index. */
    private static final long[] KEPT_MASKS = new long[4];
    /** Bytes of zero padding the bit reader may hand out past the data before the data is deemed corrupt. */
    private static final int MAX_PADDING_BYTES = 32;
    /**
     * Most scans accepted. Every scan visits every block, so a file of many tiny scans could make
     * decoding arbitrarily slow; real progressive files have about 10.
     */
    private static final int MAX_SCANS = 256;

    static {
        for (int t = 0; t < 4; t++) {
            int cols = (t & 1) != 0 ? 8 : 4;
            int rows = (t & 2) != 0 ? 8 : 4;
            for (int k = 0; k < 64; k++) {
                int row = ZIGZAG[k] / 8;
                int col = ZIGZAG[k] % 8;
                SLOTS[t][k] = row < rows && col < cols ? row * cols + col : -1;
                KEPT_MASKS[t] |= SLOTS[t][k] >= 0 ? 1L << k : 0;
            }
        }
    }

    // YCbCr -> RGB (JFIF), 16 fractional bits, as tables indexed by the chroma sample.
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (int) Math.round(1.40200 * 65536 * x);
            CB_B[i] = (int) Math.round(1.77200 * 65536 * x);
            CR_G[i] = (int) Math.round(-0.71414 * 65536 * x);
            CB_G[i] = (int) Math.round(-0.34414 * 65536 * x) + 32768; // the rounding of G's sum
        }
    }

    /** Clamps {@code v} to 0..255 as {@code CLAMP[v + CLAMP_OFFSET]}, for the colour conversion's range. */
    private static final int[] CLAMP = new int[1024];
    private static final int CLAMP_OFFSET = 384;

    static {
        for (int i = 0; i < CLAMP.length; i++) {
            CLAMP[i] = Math.max(0, Math.min(255, i - CLAMP_OFFSET));
        }
    }

    /**
     * Extra per-dimension factor on frequency k of the half-size transform, on top of the box
     * mean's {@code cos(k*pi/16)}. The box mean keeps the frequencies just below the output's
     * Nyquist limit almost whole, where a bicubic downscale (support 4 pixels) softens them; on
     * finely textured pictures that detail costs the q50 encoder more bytes than it buys PSNR.
     * Softening k = 2 and 3 by 5% and 10% saved the most bytes of the weightings tried whose worst
     * corpus file stays within 0.1 dB of the bicubic reference's PSNR (half the accepted 0.2 dB, for
     * pictures unlike the corpus; PERFORMANCE.md, "Half-size decoder on the corpus"). The same
     * factors apply to every picture.
     */
    private static final double[] HALF_SIZE_SOFTENING = {1, 1, 0.95, 0.90};
    /** Per-dimension weight of frequency k in the half-size (4-point) transform (see the class comment). */
    private static final double[] WEIGHT4 = new double[4];
    /** Per-dimension weight of frequency k in the full (8-point) transform. */
    private static final double[] WEIGHT8 = new double[8];
    /** {@code cos((2x + 1)(2k + 1) pi / 16)}: the odd half of the 8-point transform, as [x * 4 + k]. */
    private static final float[] ODD8 = new float[16];

    static {
        for (int k = 0; k < 8; k++) {
            double c = k == 0 ? Math.sqrt(0.5) : 1;
            WEIGHT8[k] = c / 2;
            if (k < 4) {
                WEIGHT4[k] = c * Math.cos(k * Math.PI / 16) / 2 * HALF_SIZE_SOFTENING[k];
            }
        }
        for (int x = 0; x < 4; x++) {
            for (int k = 0; k < 4; k++) {
                ODD8[x * 4 + k] = (float) Math.cos((2 * x + 1) * (2 * k + 1) * Math.PI / 16);
            }
        }
    }

    private static final float C4 = (float) Math.cos(Math.PI / 4);
    private static final float C1 = (float) Math.cos(Math.PI / 8);
    private static final float S1 = (float) Math.sin(Math.PI / 8);

    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final int SOF0 = 0xC0;
    private static final int SOF1 = 0xC1;
    private static final int SOF2 = 0xC2;
    private static final int DHT = 0xC4;
    private static final int DAC = 0xCC;
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DNL = 0xDC;
    private static final int DRI = 0xDD;
    private static final int APP0 = 0xE0;
    private static final int APP2 = 0xE2;
    private static final int APP14 = 0xEE;

    private final byte[] data;
    /** Position of the next marker to read (between segments) or of the next entropy-coded byte. */
    private int pos;

    private final int[][] quant = new int[4][];
    private final Huffman[] dcTables = new Huffman[4];
    private final Huffman[] acTables = new Huffman[4];
    private int restartInterval;

    private boolean frameSeen;
    private boolean progressive;
    private int width;
    private int height;
    private Component[] components;
    private int maxH;
    private int maxV;
    private int mcusX;
    private int mcusY;

    private boolean jfif;
    private int adobeTransform = -1;
    private byte[][] iccChunks;

    private boolean decoded;
    /** Where {@link #decode} takes its arrays from. */
    private ScratchBuffers scratch;

    // Entropy decoder state.
    private long bitBuffer;
    private int bitCount;
    /**
     * The entropy-coded data of the current scan with byte stuffing and restart markers removed,
     * followed by zero bytes: what the bit reader reads.
     */
    private byte[] clean;
    /** Next byte of {@link #clean} to load into the bit buffer. */
    private int cleanPos;
    /** Where the bit reader must stop: past this the data ended early. */
    private int cleanLimit;
    /** End offset in {@link #clean} of each restart interval of the scan, and its count. */
    private int[] segmentEnds = new int[16];
    /** The restart marker (0..7) that ended each interval but the last. */
    private int[] segmentMarkers = new int[16];
    private int segments;
    private int segment;
    private int eobRun;

    private JpegHalfDecoder(byte[] data) {
        this.data = data;
    }

    /**
     * Reads the headers up to the first scan and decides whether this decoder handles the image.
     * Allocates nothing in proportion to the image size.
     *
     * @throws Declined if it does not (the message says why)
     */
    static JpegHalfDecoder open(byte[] jpeg) throws Declined {
        JpegHalfDecoder decoder = new JpegHalfDecoder(jpeg);
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != SOI) {
            throw new Declined("no SOI marker");
        }
        decoder.pos = 2;
        int marker = decoder.readMarkersUntilScan();
        if (marker != SOS || !decoder.frameSeen) {
            throw new Declined("no frame header before the first scan");
        }
        decoder.checkColourModel();
        return decoder;
    }

    /** Width of the image, from the frame header. */
    int width() {
        return width;
    }

    /** Height of the image, from the frame header. */
    int height() {
        return height;
    }

    /** Width of {@link #decode}'s result: {@code ceil(width / 2)}. */
    int outputWidth() {
        return (width + 1) / 2;
    }

    /** Height of {@link #decode}'s result: {@code ceil(height / 2)}. */
    int outputHeight() {
        return (height + 1) / 2;
    }

    /**
     * Memory {@link #decode} needs at its peak, in units of 4-byte pixels (the unit of
     * {@link PixelBudget}): the half-size result, the kept coefficients with their masks, the
     * decoded component planes and the copy of the entropy-coded data. About 0.85 units per
     * source pixel for 4:2:0 (a full decode holds at least one unit per pixel).
     */
    long workingPixels() {
        long bytes = data.length + MAX_PADDING_BYTES + 8L;
        for (Component c : components) {
            long blocks = (long) c.blocksPerLine * c.blocksPerColumn;
            bytes += blocks * (c.kept * 2 + 8) + blocks * c.kept;
        }
        return (long) outputWidth() * outputHeight() + (bytes + 3) / 4;
    }

    /**
     * {@link #decode(long, ScratchBuffers)} into arrays of its own, as packed ints.
     *
     * @throws Declined as {@link #decode(long, ScratchBuffers)}
     */
    RgbPixels decode(long maxPixels) throws Declined {
        try (ScratchBuffers own = ScratchBuffers.lease(0)) {
            return decode(maxPixels, own).toRgb();
        }
    }

    /**
     * Decodes every scan and returns the image at half size ({@link #outputWidth()} x
     * {@link #outputHeight()}), in sRGB.
     *
     * @param maxPixels the largest {@code width * height} to allocate memory for
     * @param scratch   where the working arrays and the result's array come from; the result lives
     *                  in its {@link ScratchBuffers.Slot#BGR} slot
     * @throws Declined if the image turns out not to be handled, or its data is damaged or truncated
     */
    BgrPixels decode(long maxPixels, ScratchBuffers scratch) throws Declined {
        if (decoded) {
            throw new IllegalStateException("already decoded");
        }
        decoded = true;
        if ((long) width * height > maxPixels) {
            throw new Declined("more than " + maxPixels + " pixels");
        }
        this.scratch = scratch;
        try {
            for (int i = 0; i < components.length; i++) {
                Component c = components[i];
                int blocks = Math.multiplyExact(c.blocksPerLine, c.blocksPerColumn);
                // One more than the blocks need: a place for values that are not kept (see trashSlot).
                c.coefficients = scratch.shorts(ScratchBuffers.Slot.forComponent(ScratchBuffers.Slot.COEFFICIENTS_0, i),
                        Math.addExact(Math.multiplyExact(blocks, c.kept), 1));
                c.nonZero = scratch.longs(ScratchBuffers.Slot.forComponent(ScratchBuffers.Slot.MASKS_0, i), blocks);
            }
        } catch (ArithmeticException e) {
            throw new Declined("image too large");
        }
        int scans = 0;
        int marker = SOS;
        while (marker == SOS) {
            if (scans == MAX_SCANS) {
                throw new Declined("more than " + MAX_SCANS + " scans");
            }
            readScan();
            scans++;
            marker = readMarkersUntilScan();
        }
        if (marker != EOI) {
            throw new Declined("missing EOI");
        }
        for (Component c : components) {
            if (!c.dcSeen) {
                throw new Declined("component " + c.id + " has no DC scan (" + scans + " scans)");
            }
        }
        return toPixels();
    }

    // ---------------------------------------------------------------------------------------
    // Markers

    /**
     * Processes marker segments from {@link #pos} until SOS (left unread, {@link #pos} at its
     * length field) or EOI.
     *
     * @return {@link #SOS} or {@link #EOI}
     */
    private int readMarkersUntilScan() throws Declined {
        while (true) {
            if (pos + 2 > data.length) {
                throw new Declined("data ends before EOI");
            }
            if ((data[pos] & 0xFF) != 0xFF) {
                throw new Declined("unexpected data between segments at " + pos);
            }
            int marker = data[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            pos += 2;
            if (marker == EOI) {
                return EOI;
            }
            if (marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                continue; // a stray restart marker or TEM: no length, nothing to do
            }
            if (marker == 0x00 || marker == SOI) {
                throw new Declined("unexpected marker " + hex(marker));
            }
            if (pos + 2 > data.length) {
                throw new Declined("data ends in a marker");
            }
            int length = u16(pos);
            if (length < 2 || pos + length > data.length) {
                throw new Declined("bad length " + length + " of marker " + hex(marker));
            }
            int start = pos + 2;
            int end = pos + length;
            if (marker == SOS) {
                return SOS;
            }
            switch (marker) {
                case SOF0, SOF1, SOF2 -> readFrame(marker, start, end);
                case DHT -> readHuffmanTables(start, end);
                case DQT -> readQuantTables(start, end);
                case DRI -> readRestartInterval(start, end);
                case DNL -> throw new Declined("DNL marker");
                case DAC -> throw new Declined("arithmetic coding");
                case APP0 -> jfif |= startsWith(start, end, "JFIF\0");
                case APP2 -> readIccChunk(start, end);
                case APP14 -> readAdobe(start, end);
                default -> {
                    if (marker >= 0xC0 && marker <= 0xCF) {
                        throw new Declined("unsupported frame type " + hex(marker));
                    }
                    // other APPn, COM, JPGn: skipped
                }
            }
            pos = end;
        }
    }

    private void readFrame(int marker, int start, int end) throws Declined {
        if (frameSeen) {
            throw new Declined("second frame header");
        }
        frameSeen = true;
        progressive = marker == SOF2;
        if (end - start < 6) {
            throw new Declined("short frame header");
        }
        int precision = data[start] & 0xFF;
        height = u16(start + 1);
        width = u16(start + 3);
        int count = data[start + 5] & 0xFF;
        if (precision != 8) {
            throw new Declined(precision + "-bit samples");
        }
        if (height == 0) {
            throw new Declined("height defined by DNL");
        }
        if (width == 0) {
            throw new Declined("zero width");
        }
        if (count != 1 && count != 3) {
            throw new Declined(count + " components");
        }
        if (end - start != 6 + 3 * count) {
            throw new Declined("bad frame header length");
        }
        components = new Component[count];
        for (int i = 0; i < count; i++) {
            int at = start + 6 + 3 * i;
            int id = data[at] & 0xFF;
            int h = (data[at + 1] & 0xFF) >> 4;
            int v = data[at + 1] & 0x0F;
            int tq = data[at + 2] & 0xFF;
            if (h < 1 || h > 4 || v < 1 || v > 4) {
                throw new Declined("bad sampling factors " + h + "x" + v);
            }
            if (tq > 3) {
                throw new Declined("bad quantisation table index " + tq);
            }
            for (int j = 0; j < i; j++) {
                if (components[j].id == id) {
                    throw new Declined("duplicate component id " + id);
                }
            }
            components[i] = new Component(id, h, v, tq);
        }
        if (count == 1) {
            // One component: the MCU is one block whatever the declared factors.
            components[0].h = 1;
            components[0].v = 1;
        }
        maxH = 1;
        maxV = 1;
        for (Component c : components) {
            maxH = Math.max(maxH, c.h);
            maxV = Math.max(maxV, c.v);
        }
        mcusX = ceilDiv(width, 8 * maxH);
        mcusY = ceilDiv(height, 8 * maxV);
        for (Component c : components) {
            if (maxH % c.h != 0 || maxV % c.v != 0) {
                throw new Declined("sampling factors that are not whole ratios");
            }
            c.blocksPerLine = mcusX * c.h;
            c.blocksPerColumn = mcusY * c.v;
            int samplesX = ceilDiv(width * c.h, maxH);
            int samplesY = ceilDiv(height * c.v, maxV);
            c.codedBlocksX = ceilDiv(samplesX, 8);
            c.codedBlocksY = ceilDiv(samplesY, 8);
            // A component subsampled in a direction is decoded at its full resolution there
            // (8-point transform), else at half (4-point); see sourceIndices for the mapping.
            c.ratioH = maxH / c.h;
            c.ratioV = maxV / c.v;
            c.cols = c.ratioH >= 2 ? 8 : 4;
            c.rows = c.ratioV >= 2 ? 8 : 4;
            c.kept = c.cols * c.rows;
            int table = (c.cols == 8 ? 1 : 0) + (c.rows == 8 ? 2 : 0);
            c.slot = SLOTS[table];
            c.keptMask = KEPT_MASKS[table];
            c.validWidth = c.cols == 8 ? samplesX : ceilDiv(samplesX, 2);
            c.validHeight = c.rows == 8 ? samplesY : ceilDiv(samplesY, 2);
        }
    }

    private void readHuffmanTables(int start, int end) throws Declined {
        int at = start;
        while (at < end) {
            int tc = (data[at] & 0xFF) >> 4;
            int th = data[at] & 0x0F;
            if (tc > 1 || th > 3) {
                throw new Declined("bad Huffman table class/index");
            }
            if (at + 17 > end) {
                throw new Declined("short Huffman table");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int l = 1; l <= 16; l++) {
                counts[l] = data[at + l] & 0xFF;
                total += counts[l];
            }
            if (total > 256 || at + 17 + total > end) {
                throw new Declined("bad Huffman table size");
            }
            byte[] values = Arrays.copyOfRange(data, at + 17, at + 17 + total);
            Huffman table = new Huffman(counts, values);
            if (tc == 0) {
                dcTables[th] = table;
            } else {
                acTables[th] = table;
            }
            at += 17 + total;
        }
    }

    private void readQuantTables(int start, int end) throws Declined {
        int at = start;
        while (at < end) {
            int pq = (data[at] & 0xFF) >> 4;
            int tq = data[at] & 0x0F;
            if (pq > 1 || tq > 3) {
                throw new Declined("bad quantisation table precision/index");
            }
            int size = pq == 0 ? 64 : 128;
            if (at + 1 + size > end) {
                throw new Declined("short quantisation table");
            }
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                table[ZIGZAG[k]] = pq == 0 ? data[at + 1 + k] & 0xFF : u16(at + 1 + 2 * k);
            }
            quant[tq] = table;
            at += 1 + size;
        }
    }

    private void readRestartInterval(int start, int end) throws Declined {
        if (end - start != 2) {
            throw new Declined("bad DRI length");
        }
        restartInterval = u16(start);
    }

    private void readAdobe(int start, int end) {
        if (end - start >= 12 && startsWith(start, end, "Adobe")) {
            adobeTransform = data[start + 11] & 0xFF;
        }
    }

    private void readIccChunk(int start, int end) throws Declined {
        if (!startsWith(start, end, "ICC_PROFILE\0") || end - start < 14) {
            return;
        }
        int sequence = data[start + 12] & 0xFF;
        int count = data[start + 13] & 0xFF;
        if (count == 0 || sequence == 0 || sequence > count
                || (iccChunks != null && iccChunks.length != count)) {
            throw new Declined("inconsistent ICC profile chunks");
        }
        if (iccChunks == null) {
            iccChunks = new byte[count][];
        }
        if (iccChunks[sequence - 1] != null) {
            throw new Declined("repeated ICC profile chunk");
        }
        iccChunks[sequence - 1] = Arrays.copyOfRange(data, start + 14, end);
    }

    /** Only YCbCr and grey, and only with no ICC profile or an sRGB one. */
    private void checkColourModel() throws Declined {
        if (components.length == 3) {
            if (adobeTransform == 0 || adobeTransform > 1) {
                throw new Declined("Adobe transform " + adobeTransform);
            }
            if (adobeTransform < 0 && !jfif
                    && components[0].id == 'R' && components[1].id == 'G' && components[2].id == 'B') {
                throw new Declined("RGB components");
            }
        }
        if (iccChunks != null) {
            ByteArrayOutputStream profile = new ByteArrayOutputStream();
            for (byte[] chunk : iccChunks) {
                if (chunk == null) {
                    throw new Declined("missing ICC profile chunk");
                }
                profile.write(chunk, 0, chunk.length);
            }
            if (!IccProfiles.isSrgbLike(profile.toByteArray(), components.length)) {
                throw new Declined("ICC profile other than sRGB");
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Scans

    private void readScan() throws Declined {
        int length = u16(pos);
        int start = pos + 2;
        int end = pos + length;
        if (length < 6) {
            throw new Declined("short scan header");
        }
        int count = data[start] & 0xFF;
        if (count < 1 || count > components.length || end - start != 1 + 2 * count + 3) {
            throw new Declined("bad scan header");
        }
        Component[] scan = new Component[count];
        int blocksPerMcu = 0;
        for (int i = 0; i < count; i++) {
            int id = data[start + 1 + 2 * i] & 0xFF;
            int tables = data[start + 2 + 2 * i] & 0xFF;
            Component c = null;
            for (Component candidate : components) {
                if (candidate.id == id) {
                    c = candidate;
                }
            }
            if (c == null) {
                throw new Declined("scan names unknown component " + id);
            }
            for (int j = 0; j < i; j++) {
                if (scan[j] == c) {
                    throw new Declined("component repeated in a scan");
                }
            }
            int td = tables >> 4;
            int ta = tables & 0x0F;
            if (td > 3 || ta > 3) {
                throw new Declined("bad Huffman table selector");
            }
            c.dcTable = td;
            c.acTable = ta;
            scan[i] = c;
            blocksPerMcu += c.h * c.v;
        }
        int ss = data[end - 3] & 0xFF;
        int se = data[end - 2] & 0xFF;
        int ah = (data[end - 1] & 0xFF) >> 4;
        int al = data[end - 1] & 0x0F;
        if (count > 1 && blocksPerMcu > 10) {
            throw new Declined("more than 10 blocks per MCU");
        }
        if (progressive) {
            boolean dc = ss == 0;
            if (dc ? se != 0 : (se < ss || se > 63 || count != 1)) {
                throw new Declined("bad progressive scan parameters");
            }
            if (al > 13 || (ah != 0 && ah != al + 1)) {
                throw new Declined("bad successive approximation parameters");
            }
        } else if (ss != 0 || se != 63 || ah != 0 || al != 0) {
            throw new Declined("bad sequential scan parameters");
        }
        for (Component c : scan) {
            if (c.quant == null) {
                if (quant[c.tq] == null) {
                    throw new Declined("missing quantisation table " + c.tq);
                }
                c.quant = dequantisation(quant[c.tq], c.cols, c.rows);
            }
            boolean needsDc = ss == 0 && ah == 0;
            boolean needsAc = se > 0;
            if (needsDc && dcTables[c.dcTable] == null || needsAc && acTables[c.acTable] == null) {
                throw new Declined("missing Huffman table");
            }
            c.dc = dcTables[c.dcTable];
            c.ac = acTables[c.acTable];
            if (ss == 0 && ah == 0) {
                c.dcSeen = true;
            } else if (ss == 0 && !c.dcSeen) {
                throw new Declined("DC refinement before the first DC scan");
            }
        }
        pos = end;
        unstuffScanData();
        decodeScanData(scan, ss, se, ah, al);
        finishSegment();
        if (segment != segments - 1) {
            throw new Declined("restart markers beyond the scan's data");
        }
    }

    private void decodeScanData(Component[] scan, int ss, int se, int ah, int al) throws Declined {
        if (progressive) {
            if (ss == 0) {
                if (ah != 0) {
                    dcRefineScan(scan, al);
                } else {
                    blockScan(scan, false, al);
                }
            } else {
                // AC scans have one component (checked)
                if (ah != 0) {
                    acRefineScan(scan[0], ss, se, al);
                } else {
                    acFirstScan(scan[0], ss, se, al);
                }
            }
            return;
        }
        blockScan(scan, true, 0);
    }

    /**
     * A sequential (baseline or extended) scan, or with {@code withAc} false a progressive first
     * DC scan (whose values are scaled by 2^{@code al}), interleaved or not: per block a DC
     * difference and, in a sequential scan, the AC coefficients, over all blocks in one call with
     * the bit reader in local variables, blocks visited from an {@link McuPlan}, values outside the
     * kept corner written to the spare slot and signs extended without branches, as in the
     * progressive AC scans.
     */
    private void blockScan(Component[] scan, boolean withAc, int al) throws Declined {
        McuPlan plan = new McuPlan(scan, scan.length == 1);
        int[] owner = plan.owner;
        int[] rowStep = plan.rowStep;
        int[] columnStep = plan.columnStep;
        int[] offset = plan.offset;
        int n = scan.length;
        short[][] coefficients = new short[n][];
        long[][] masks = new long[n][];
        int[][] dcLookups = new int[n][];
        int[][] fastAcs = new int[n][];
        int[][] slotTables = new int[n][];
        int[] kepts = new int[n];
        int[] trashes = new int[n];
        int[] predictions = new int[n];
        for (int i = 0; i < n; i++) {
            Component c = scan[i];
            coefficients[i] = c.coefficients;
            masks[i] = c.nonZero;
            dcLookups[i] = c.dc.lookup;
            fastAcs[i] = withAc ? c.ac.fastAc : null; // a DC scan need not name an AC table
            slotTables[i] = c.slot;
            kepts[i] = c.kept;
            trashes[i] = trashSlot(c);
        }
        int restartsLeft = restartInterval;
        long buffer = bitBuffer;
        int count = bitCount;
        for (int my = 0; my < plan.rows; my++) {
            for (int mx = 0; mx < plan.columns; mx++) {
                if (restartInterval > 0) {
                    if (restartsLeft == 0) {
                        processRestart(count);
                        buffer = 0;
                        count = 0;
                        Arrays.fill(predictions, 0);
                        restartsLeft = restartInterval;
                    }
                    restartsLeft--;
                }
                for (int b = 0; b < plan.blocksPerMcu; b++) {
                    int i = owner[b];
                    int block = my * rowStep[b] + mx * columnStep[b] + offset[b];
                    short[] coef = coefficients[i];
                    int base = block * kepts[i];
                    int[] slots = slotTables[i];
                    int[] fastAc = fastAcs[i];
                    int trash = trashes[i];
                    // At least 32 bits: a code (16 at most) and a difference (11), or a code and a value (10).
                    if (count < 32) {
                        bitBuffer = buffer;
                        bitCount = count;
                        fill();
                        buffer = bitBuffer;
                        count = bitCount;
                    }
                    int entry = dcLookups[i][(int) (buffer >>> (count - Huffman.LOOKUP_BITS)) & Huffman.LOOKUP_MASK];
                    int size;
                    if (entry != 0) {
                        count -= entry >> 8;
                        size = entry & 0xFF;
                    } else {
                        bitBuffer = buffer;
                        bitCount = count;
                        size = decodeHuffman(scan[i].dc);
                        buffer = bitBuffer;
                        count = bitCount;
                    }
                    if (size > 11) {
                        throw new Declined("bad DC difference size");
                    }
                    count -= size;
                    int prediction = predictions[i] + extend((int) (buffer >>> count) & ((1 << size) - 1), size);
                    predictions[i] = prediction;
                    coef[base] = (short) (prediction << al);
                    if (!withAc) {
                        continue;
                    }
                    long nonZero = 0;
                    for (int k = 1; k < 64; k++) {
                        if (count < 32) {
                            bitBuffer = buffer;
                            bitCount = count;
                            fill();
                            buffer = bitBuffer;
                            count = bitCount;
                        }
                        int fast = fastAc[(int) (buffer >>> (count - Huffman.LOOKUP_BITS)) & Huffman.LOOKUP_MASK];
                        int value;
                        if (fast != 0) {
                            count -= fast & 0xFF;
                            k += (fast >> 8) & 0xFF;
                            value = fast >> 16;
                        } else {
                            bitBuffer = buffer;
                            bitCount = count;
                            int rs = decodeHuffman(scan[i].ac);
                            buffer = bitBuffer;
                            count = bitCount;
                            int r = rs >> 4;
                            int s = rs & 15;
                            if (s == 0) {
                                if (r != 15) {
                                    break;
                                }
                                k += 15;
                                continue;
                            }
                            if (s > 10) {
                                throw new Declined("bad AC coefficient");
                            }
                            k += r;
                            count -= s;
                            value = extend((int) (buffer >>> count) & ((1 << s) - 1), s);
                        }
                        if (k > 63) {
                            throw new Declined("bad AC coefficient");
                        }
                        nonZero |= 1L << k;
                        int slot = slots[k];
                        int outside = slot >> 31;
                        coef[(base + slot) & ~outside | trash & outside] = (short) value;
                    }
                    masks[i][block] = nonZero;
                }
            }
        }
        bitBuffer = buffer;
        bitCount = count;
    }

    /**
     * A progressive first AC scan (always of one component), over all blocks in one call with
     * the bit buffer and the end-of-band run in local variables. Blocks inside an end-of-band run
     * have nothing to do: the rest of the run in a row is skipped at once.
     */
    private void acFirstScan(Component c, int ss, int se, int al) throws Declined {
        short[] coef = c.coefficients;
        long[] nonZeroes = c.nonZero;
        int kept = c.kept;
        int[] slots = c.slot;
        Huffman ac = c.ac;
        int[] fastAc = ac.fastAc;
        int trash = trashSlot(c);
        int restartsLeft = restartInterval;
        long buffer = bitBuffer;
        int count = bitCount;
        int eob = eobRun;
        for (int row = 0; row < c.codedBlocksY; row++) {
            int block = row * c.blocksPerLine;
            for (int col = 0; col < c.codedBlocksX; col++, block++) {
                if (restartInterval > 0) {
                    if (restartsLeft == 0) {
                        processRestart(count);
                        buffer = 0;
                        count = 0;
                        eob = 0;
                        restartsLeft = restartInterval;
                    }
                    restartsLeft--;
                }
                if (eob > 0) {
                    // Skip the rest of the end-of-band run in this row (restart intervals permitting).
                    int skip = Math.min(eob, c.codedBlocksX - col);
                    if (restartInterval > 0) {
                        skip = Math.min(skip, restartsLeft + 1);
                        restartsLeft -= skip - 1;
                    }
                    eob -= skip;
                    col += skip - 1;
                    block += skip - 1;
                    continue;
                }
                int base = block * kept;
                long nonZero = nonZeroes[block];
                for (int k = ss; k <= se; k++) {
                    // At least 32 bits: a code (16 at most) and its value (10) or run length (14).
                    if (count < 32) {
                        bitBuffer = buffer;
                        bitCount = count;
                        fill();
                        buffer = bitBuffer;
                        count = bitCount;
                    }
                    int fast = fastAc[(int) (buffer >>> (count - Huffman.LOOKUP_BITS)) & Huffman.LOOKUP_MASK];
                    if (fast != 0) {
                        count -= fast & 0xFF;
                        k += (fast >> 8) & 0xFF;
                        if (k > se) {
                            throw new Declined("bad AC coefficient");
                        }
                        nonZero |= 1L << k;
                        int slot = slots[k];
                        int outside = slot >> 31;
                        coef[(base + slot) & ~outside | trash & outside] = (short) ((fast >> 16) << al);
                        continue;
                    }
                    bitBuffer = buffer;
                    bitCount = count;
                    int rs = decodeHuffman(ac);
                    buffer = bitBuffer;
                    count = bitCount;
                    int r = rs >> 4;
                    int s = rs & 15;
                    if (s == 0) {
                        if (r < 15) {
                            int run = (1 << r) - 1;
                            if (r > 0) {
                                count -= r;
                                run += (int) (buffer >>> count) & ((1 << r) - 1);
                            }
                            eob = run;
                            break;
                        }
                        k += 15;
                        continue;
                    }
                    k += r;
                    if (k > se || s > 10) {
                        throw new Declined("bad AC coefficient");
                    }
                    count -= s;
                    int value = extend((int) (buffer >>> count) & ((1 << s) - 1), s);
                    nonZero |= 1L << k;
                    int slot = slots[k];
                    int outside = slot >> 31;
                    coef[(base + slot) & ~outside | trash & outside] = (short) (value << al);
                }
                nonZeroes[block] = nonZero;
            }
        }
        bitBuffer = buffer;
        bitCount = count;
        eobRun = eob;
    }

    /**
     * A progressive DC refinement scan, interleaved or not: one bit per block, with the bit buffer
     * in local variables and the blocks visited from an {@link McuPlan}.
     */
    private void dcRefineScan(Component[] scan, int al) throws Declined {
        McuPlan plan = new McuPlan(scan, scan.length == 1);
        int[] owner = plan.owner;
        int[] rowStep = plan.rowStep;
        int[] columnStep = plan.columnStep;
        int[] offset = plan.offset;
        short[][] coefficients = new short[scan.length][];
        int[] kepts = new int[scan.length];
        for (int i = 0; i < scan.length; i++) {
            coefficients[i] = scan[i].coefficients;
            kepts[i] = scan[i].kept;
        }
        int restartsLeft = restartInterval;
        long buffer = bitBuffer;
        int count = bitCount;
        for (int my = 0; my < plan.rows; my++) {
            for (int mx = 0; mx < plan.columns; mx++) {
                if (restartInterval > 0) {
                    if (restartsLeft == 0) {
                        processRestart(count);
                        buffer = 0;
                        count = 0;
                        restartsLeft = restartInterval;
                    }
                    restartsLeft--;
                }
                for (int b = 0; b < plan.blocksPerMcu; b++) {
                    if (count < 1) {
                        bitBuffer = buffer;
                        bitCount = count;
                        fill();
                        buffer = bitBuffer;
                        count = bitCount;
                    }
                    int i = owner[b];
                    int at = (my * rowStep[b] + mx * columnStep[b] + offset[b]) * kepts[i];
                    count--;
                    coefficients[i][at] |= (short) (((int) (buffer >>> count) & 1) << al);
                }
            }
        }
        bitBuffer = buffer;
        bitCount = count;
    }

    /**
     * A progressive AC refinement scan (successive approximation, always of one component): the
     * hottest loop of progressive decoding. It runs over all blocks in one call with the bit
     * buffer and the end-of-band run in local variables, as most blocks of a refinement scan hold
     * a few symbols and a call per block cost a tenth of the scan.
     *
     * <p>Every coefficient of the band with history (non-zero before this scan) receives exactly
     * one correction bit, in zig-zag order, interleaved with the symbols. The bits are collected
     * per block, a few at a time without looking at them, and applied once at the end of the
     * block: a branch per symbol and a loop per symbol cost more than the bits themselves.
     */
    private void acRefineScan(Component c, int ss, int se, int al) throws Declined {
        short[] coef = c.coefficients;
        long[] nonZeroes = c.nonZero;
        int kept = c.kept;
        long band = (-1L >>> (63 - se)) & (-1L << ss);
        long keptMask = c.keptMask;
        int[] slots = c.slot;
        int[] lookup = c.ac.lookup;
        int p1 = 1 << al;
        int trash = trashSlot(c);
        int restartsLeft = restartInterval;
        long buffer = bitBuffer;
        int count = bitCount;
        int eob = eobRun;
        for (int row = 0; row < c.codedBlocksY; row++) {
            int block = row * c.blocksPerLine;
            for (int col = 0; col < c.codedBlocksX; col++, block++) {
                if (restartInterval > 0) {
                    if (restartsLeft == 0) {
                        processRestart(count);
                        buffer = 0;
                        count = 0;
                        eob = 0;
                        restartsLeft = restartInterval;
                    }
                    restartsLeft--;
                }
                int base = block * kept;
                long history = nonZeroes[block] & band;
                // The block's correction bits so far, the first one highest.
                long corrections = 0;
                int k = ss;
                while (eob == 0 && k <= se) {
                    // At least 32 bits: the code (16 at most), then a sign bit or an EOB run (14).
                    if (count < 32) {
                        bitBuffer = buffer;
                        bitCount = count;
                        fill();
                        buffer = bitBuffer;
                        count = bitCount;
                    }
                    int entry = lookup[(int) (buffer >>> (count - Huffman.LOOKUP_BITS)) & Huffman.LOOKUP_MASK];
                    int rs;
                    if (entry != 0) {
                        count -= entry >> 8;
                        rs = entry & 0xFF;
                    } else {
                        bitBuffer = buffer;
                        bitCount = count;
                        rs = decodeHuffman(c.ac);
                        buffer = bitBuffer;
                        count = bitCount;
                    }
                    int r = rs >> 4;
                    int s = rs & 15;
                    int value = 0;
                    if (s != 0) {
                        if (s != 1) {
                            throw new Declined("bad AC refinement symbol");
                        }
                        count--;
                        value = (buffer >>> count & 1) != 0 ? p1 : -p1;
                    } else if (r != 15) {
                        int run = 1 << r;
                        if (r > 0) {
                            count -= r;
                            run += (int) (buffer >>> count) & ((1 << r) - 1);
                        }
                        eob = run;
                        break;
                    }
                    // The target is the (r+1)-th coefficient from k without history (for ZRL, the
                    // 16th, which stays zero); the coefficients with history passed on the way get
                    // one correction bit each.
                    long fromK = -1L << k;
                    long zeros = ~history & band & fromK;
                    int first = Long.numberOfTrailingZeros(zeros);
                    // Mostly no coefficient with history lies between the first one without and
                    // the target, which is then r further on, and the ones passed are those from
                    // k to the first; otherwise step over the zeros and count.
                    int target = first + r;
                    int n = first - k;
                    if (target > 63 || (history & (-1L >>> (63 - target)) & ~(zeros - 1)) != 0) {
                        for (int i = 0; i < r && zeros != 0; i++) {
                            zeros &= zeros - 1;
                        }
                        target = zeros == 0 ? 64 : Long.numberOfTrailingZeros(zeros);
                        n = Long.bitCount(history & fromK & ~(-2L << (target - 1)));
                    }
                    if (n > count) {
                        bitBuffer = buffer;
                        bitCount = count;
                        corrections = readLongBits(corrections, n);
                        buffer = bitBuffer;
                        count = bitCount;
                    } else {
                        count -= n;
                        corrections = corrections << n | (buffer >>> count) & ~(-1L << n);
                    }
                    if (target > se) {
                        if (value != 0) {
                            throw new Declined("AC refinement beyond the band");
                        }
                        k = se + 1;
                        break;
                    }
                    // Without branches: whether the target is in the kept corner is hard to predict
                    // (about 70% are on the corpus). A ZRL's target (value 0) stays zero.
                    nonZeroes[block] |= (1L << target) & -(long) s;
                    int slot = slots[target];
                    int outside = slot >> 31;
                    coef[(base + slot) & ~outside | trash & outside] = (short) value;
                    k = target + 1;
                }
                if (eob > 0) {
                    // The rest of the band is in an end-of-band run: one correction bit per
                    // coefficient with history.
                    int n = k > 63 ? 0 : Long.bitCount(history & (-1L << k));
                    if (n > count && count < 32) {
                        bitBuffer = buffer;
                        bitCount = count;
                        fill();
                        buffer = bitBuffer;
                        count = bitCount;
                    }
                    if (n > count) {
                        bitBuffer = buffer;
                        bitCount = count;
                        corrections = readLongBits(corrections, n);
                        buffer = bitBuffer;
                        count = bitCount;
                    } else {
                        count -= n;
                        corrections = corrections << n | (buffer >>> count) & ~(-1L << n);
                    }
                    eob--;
                }
                // Bit i of the corrections (from the lowest) belongs to the i-th coefficient with
                // history counted from the end of the band; only the kept ones matter.
                long keptHistory = history & keptMask;
                int last = Long.bitCount(history) - 1;
                while (keptHistory != 0) {
                    int position = Long.numberOfTrailingZeros(keptHistory);
                    keptHistory &= keptHistory - 1;
                    int index = last - Long.bitCount(history & ((1L << position) - 1));
                    int bit = (int) (corrections >>> index) & 1;
                    int at = base + slots[position];
                    int v = coef[at];
                    // Adds p1 to the magnitude when the bit is set and that bit of v is not yet.
                    int apply = bit & ~(v >> al) & 1;
                    int sign = v >> 31;
                    coef[at] = (short) (v + apply * ((p1 ^ sign) - sign));
                }
            }
        }
        bitBuffer = buffer;
        bitCount = count;
        eobRun = eob;
    }

    /**
     * The index in a component's coefficient array just past its blocks: written with values
     * outside the kept corner so that the scan loops need not branch on whether one is kept.
     * Never read.
     */
    private static int trashSlot(Component c) {
        return c.blocksPerLine * c.blocksPerColumn * c.kept;
    }

    /**
     * Appends the next {@code n} bits (at most 63) to {@code bits}, for when the buffer holds fewer:
     * in parts, filling between them.
     */
    private long readLongBits(long bits, int n) throws Declined {
        int left = n;
        while (left > 0) {
            if (bitCount == 0) {
                fill();
            }
            int take = Math.min(left, bitCount);
            bitCount -= take;
            bits = bits << take | (bitBuffer >>> bitCount) & ~(-1L << take);
            left -= take;
        }
        return bits;
    }

    // ---------------------------------------------------------------------------------------
    // Entropy-coded data

    /**
     * Copies the entropy-coded data that starts at {@link #pos} into {@link #clean}, without
     * stuffed zero bytes, fill bytes and restart markers (whose places and numbers are kept), up
     * to the marker that ends the scan; {@link #pos} is left at that marker.
     */
    private void unstuffScanData() throws Declined {
        if (clean == null) {
            clean = scratch.bytes(ScratchBuffers.Slot.SCAN_DATA, data.length + MAX_PADDING_BYTES + 8);
        }
        byte[] d = data;
        byte[] out = clean;
        int p = pos;
        int o = 0;
        int end = d.length;
        segments = 0;
        while (true) {
            // Plain bytes first, in a tight loop.
            while (p < end && d[p] != (byte) 0xFF) {
                out[o++] = d[p++];
            }
            if (p + 1 >= end) {
                throw new Declined("data ends in entropy-coded data");
            }
            int next = d[p + 1] & 0xFF;
            if (next == 0) {
                out[o++] = (byte) 0xFF;
                p += 2;
            } else if (next == 0xFF) {
                p++; // fill byte before a marker
            } else if (next >= 0xD0 && next <= 0xD7) {
                addSegment(o, next - 0xD0);
                p += 2;
            } else {
                break; // the marker after the scan
            }
        }
        addSegment(o, -1);
        Arrays.fill(out, o, o + MAX_PADDING_BYTES + 8, (byte) 0);
        pos = p;
        segment = 0;
        cleanPos = 0;
        cleanLimit = o + MAX_PADDING_BYTES;
        bitBuffer = 0;
        bitCount = 0;
        eobRun = 0;
    }

    private void addSegment(int end, int marker) throws Declined {
        if (segments == segmentEnds.length) {
            if (segments >= (data.length >> 1) + 1) {
                throw new Declined("too many restart markers");
            }
            segmentEnds = Arrays.copyOf(segmentEnds, segments * 2);
            segmentMarkers = Arrays.copyOf(segmentMarkers, segments * 2);
        }
        segmentEnds[segments] = end;
        segmentMarkers[segments] = marker;
        segments++;
    }

    /** Tops the bit buffer up with whole bytes to 57..64 bits; called with at most 32 bits left. */
    private void fill() throws Declined {
        int p = cleanPos;
        if (p > cleanLimit) {
            throw new Declined("entropy-coded data ends early");
        }
        int bits = (63 - bitCount) & ~7; // 32..56 as bitCount <= 31
        long next = (long) BIG_ENDIAN_LONG.get(clean, p);
        bitBuffer = bitBuffer << bits | next >>> (64 - bits);
        bitCount += bits;
        cleanPos = p + (bits >> 3);
    }

    /**
     * The signed value of the {@code size}-bit field {@code bits} (JPEG's EXTEND: fields below half
     * their range are negative), without branches: the sign of a difference is as good as random.
     * 0 for size 0.
     */
    private static int extend(int bits, int size) {
        return bits - ((bits - (1 << (size - 1)) >> 31) & ((1 << size) - 1));
    }

    private int decodeHuffman(Huffman table) throws Declined {
        if (bitCount < 16) {
            fill();
        }
        int entry = table.lookup[(int) (bitBuffer >>> (bitCount - Huffman.LOOKUP_BITS)) & Huffman.LOOKUP_MASK];
        if (entry != 0) {
            bitCount -= entry >> 8;
            return entry & 0xFF;
        }
        for (int l = Huffman.LOOKUP_BITS + 1; l <= 16; l++) {
            int code = (int) (bitBuffer >>> (bitCount - l)) & ((1 << l) - 1);
            if (code <= table.maxCode[l]) {
                bitCount -= l;
                return table.values[table.valueOffset[l] + code] & 0xFF;
            }
        }
        throw new Declined("bad Huffman code");
    }

    /** Fails if the restart interval just decoded needed bits beyond its data. */
    private void finishSegment() throws Declined {
        long consumedBits = (long) cleanPos * 8 - bitCount;
        if (consumedBits > (long) segmentEnds[segment] * 8) {
            throw new Declined("entropy-coded data ends early");
        }
    }

    /**
     * Moves past the restart marker that ends the current restart interval, checking it is the
     * next in sequence (the n-th marker of a scan is RST(n mod 8), and the intervals are the
     * segments), for scan loops that keep the bit reader in local variables: {@code bitsLeft} is
     * their bit count; the buffer and the end-of-band run are empty afterwards.
     */
    private void processRestart(int bitsLeft) throws Declined {
        bitCount = bitsLeft;
        finishSegment();
        if (segment + 1 >= segments || segmentMarkers[segment] != (segment & 7)) {
            throw new Declined("restart marker missing or out of sequence");
        }
        cleanPos = segmentEnds[segment]; // the rest of the last byte was padding
        segment++;
        bitBuffer = 0;
        bitCount = 0;
        eobRun = 0;
    }

    // ---------------------------------------------------------------------------------------
    // Half-size reconstruction

    /** Dequantisation factors of the kept coefficients, with the half-size weights folded in. */
    private static float[] dequantisation(int[] table, int cols, int rows) {
        float[] factors = new float[cols * rows];
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < cols; col++) {
                double weights = (rows == 8 ? WEIGHT8 : WEIGHT4)[row] * (cols == 8 ? WEIGHT8 : WEIGHT4)[col];
                factors[row * cols + col] = (float) (table[row * 8 + col] * weights);
            }
        }
        return factors;
    }

    private BgrPixels toPixels() {
        for (int i = 0; i < components.length; i++) {
            Component c = components[i];
            c.plane = inverseTransform(c, scratch.bytes(ScratchBuffers.Slot.forComponent(ScratchBuffers.Slot.PLANE_0, i),
                    c.blocksPerLine * c.cols * c.blocksPerColumn * c.rows));
            c.coefficients = null;
            c.nonZero = null;
        }
        int outW = outputWidth();
        int outH = outputHeight();
        BgrPixels out = new BgrPixels(outW, outH, scratch.bytes(ScratchBuffers.Slot.BGR, Math.multiplyExact(outW * outH, 3)));
        byte[] bgr = out.bgr();
        if (components.length == 1) {
            Component y = components[0];
            for (int row = 0; row < outH; row++) {
                int in = row * y.planeStride;
                for (int x = 0, o = row * outW * 3; x < outW; x++, o += 3) {
                    byte v = y.plane[in + x];
                    bgr[o] = v;
                    bgr[o + 1] = v;
                    bgr[o + 2] = v;
                }
            }
            return out;
        }
        byte[][] rows = new byte[3][outW];
        byte[][] sources = new byte[3][];
        int[] offsets = new int[3];
        for (int row = 0; row < outH; row++) {
            for (int i = 0; i < 3; i++) {
                Component c = components[i];
                if (c.ratioH <= 2 && c.ratioV <= 2) {
                    sources[i] = c.plane; // already at the output's resolution
                    offsets[i] = row * c.planeStride;
                } else {
                    upsampleRow(c, row, rows[i], outW);
                    sources[i] = rows[i];
                    offsets[i] = 0;
                }
            }
            byte[] ys = sources[0];
            byte[] cbs = sources[1];
            byte[] crs = sources[2];
            int yo = offsets[0];
            int cbo = offsets[1];
            int cro = offsets[2];
            for (int x = 0, o = row * outW * 3; x < outW; x++, o += 3) {
                int yy = (ys[yo + x] & 0xFF) << 16;
                int cb = cbs[cbo + x] & 0xFF;
                int cr = crs[cro + x] & 0xFF;
                int r = (yy + CR_R[cr] + 32768) >> 16;
                int g = (yy + CB_G[cb] + CR_G[cr]) >> 16;
                int b = (yy + CB_B[cb] + 32768) >> 16;
                bgr[o] = (byte) CLAMP[b + CLAMP_OFFSET];
                bgr[o + 1] = (byte) CLAMP[g + CLAMP_OFFSET];
                bgr[o + 2] = (byte) CLAMP[r + CLAMP_OFFSET];
            }
        }
        return out;
    }

    /**
     * One output row of component {@code c}, brought to the output's resolution. The output
     * pixel {@code x} covers source pixels {@code 2x} and {@code 2x + 1}; with a subsampling ratio
     * {@code r} those lie in the component's samples {@code 2x / r} and {@code (2x + 1) / r}
     * (at full component resolution, as decoded for {@code r >= 2}), whose mean it takes: the box
     * filter over a component upsampled by replication. For {@code r} 1 (decoded at half) and 2
     * that is the sample {@code x} itself.
     */
    private void upsampleRow(Component c, int row, byte[] out, int outW) {
        byte[] plane = c.plane;
        int stride = c.planeStride;
        int[] rowIndex = sourceIndices(row, c.ratioV, c.validHeight);
        int a = rowIndex[0] * stride;
        int b = rowIndex[1] * stride;
        if (c.ratioH <= 2) {
            for (int x = 0; x < outW; x++) {
                out[x] = (byte) (((plane[a + x] & 0xFF) + (plane[b + x] & 0xFF) + 1) >> 1);
            }
            return;
        }
        int[] first = c.columnFirst;
        int[] second = c.columnSecond;
        for (int x = 0; x < outW; x++) {
            int i = first[x];
            int j = second[x];
            out[x] = (byte) (((plane[a + i] & 0xFF) + (plane[a + j] & 0xFF)
                    + (plane[b + i] & 0xFF) + (plane[b + j] & 0xFF) + 2) >> 2);
        }
    }

    /** The two samples of a component (ratio {@code r}, {@code valid} samples) that output index {@code x} covers. */
    private static int[] sourceIndices(int x, int r, int valid) {
        if (r <= 2) {
            int i = Math.min(x, valid - 1);
            return new int[] {i, i};
        }
        return new int[] {Math.min(2 * x / r, valid - 1), Math.min((2 * x + 1) / r, valid - 1)};
    }

    /**
     * Every block of {@code c} inside the image as {@code cols x rows} samples, into {@code plane}
     * (at least {@code blocksPerLine * cols * blocksPerColumn * rows} bytes; samples of blocks
     * wholly outside the image are not written).
     */
    private static byte[] inverseTransform(Component c, byte[] plane) {
        int cols = c.cols;
        int rows = c.rows;
        int kept = c.kept;
        int stride = c.blocksPerLine * cols;
        c.planeStride = stride;
        c.columnFirst = new int[(c.validWidth * c.ratioH + 1) / 2 + 1];
        c.columnSecond = new int[c.columnFirst.length];
        for (int x = 0; x < c.columnFirst.length; x++) {
            int[] pair = sourceIndices(x, c.ratioH, c.validWidth);
            c.columnFirst[x] = pair[0];
            c.columnSecond[x] = pair[1];
        }
        short[] coef = c.coefficients;
        float[] q = c.quant;
        float[] tmp = new float[64];
        int rowsToDo = Math.min(c.blocksPerColumn, ceilDiv(c.validHeight, rows));
        int colsToDo = Math.min(c.blocksPerLine, ceilDiv(c.validWidth, cols));
        for (int by = 0; by < rowsToDo; by++) {
            for (int bx = 0; bx < colsToDo; bx++) {
                int base = (by * c.blocksPerLine + bx) * kept;
                int at = by * rows * stride + bx * cols;
                long acMask = c.nonZero[by * c.blocksPerLine + bx] & c.keptMask & ~1L;
                if (acMask == 0) {
                    byte dc = (byte) clampRound(coef[base] * q[0] + 128.5f);
                    for (int y = 0; y < rows; y++) {
                        Arrays.fill(plane, at + y * stride, at + y * stride + cols, dc);
                    }
                } else if (kept == 16) {
                    idct4x4(coef, base, q, tmp, plane, at, stride);
                } else {
                    // Rows of coefficients first (rows without coefficients give zeros), then columns.
                    int rowMask = 1;
                    for (long m = acMask; m != 0; m &= m - 1) {
                        rowMask |= 1 << (ZIGZAG[Long.numberOfTrailingZeros(m)] >> 3);
                    }
                    for (int r = 0; r < rows; r++) {
                        int row = r * cols;
                        if ((rowMask >> r & 1) == 0) {
                            Arrays.fill(tmp, row, row + cols, 0f);
                            continue;
                        }
                        for (int u = 0; u < cols; u++) {
                            tmp[row + u] = coef[base + row + u] * q[row + u];
                        }
                        if (cols == 8) {
                            idct8(tmp, row, 1);
                        } else {
                            idct4(tmp, row, 1);
                        }
                    }
                    if (rowMask == 1) {
                        // Only the first row: every column is constant.
                        for (int x = 0; x < cols; x++) {
                            byte v = (byte) clampRound(tmp[x] + 128.5f);
                            for (int y = 0; y < rows; y++) {
                                plane[at + y * stride + x] = v;
                            }
                        }
                        continue;
                    }
                    for (int x = 0; x < cols; x++) {
                        if (rows == 8) {
                            idct8(tmp, x, cols);
                        } else {
                            idct4(tmp, x, cols);
                        }
                        for (int y = 0, i = x; y < rows; y++, i += cols) {
                            plane[at + y * stride + x] = (byte) clampRound(tmp[i] + 128.5f);
                        }
                    }
                }
            }
        }
        return plane;
    }

    /** The 4x4 transform of one block's weighted coefficients, into the plane. */
    private static void idct4x4(short[] coef, int base, float[] q, float[] tmp, byte[] plane, int at, int stride) {
        for (int r = 0; r < 4; r++) {
            int i = base + r * 4;
            float d0 = coef[i] * q[r * 4];
            float d1 = coef[i + 1] * q[r * 4 + 1];
            float d2 = coef[i + 2] * q[r * 4 + 2];
            float d3 = coef[i + 3] * q[r * 4 + 3];
            float t0 = d0 + d2 * C4;
            float t1 = d0 - d2 * C4;
            float o0 = d1 * C1 + d3 * S1;
            float o1 = d1 * S1 - d3 * C1;
            tmp[r * 4] = t0 + o0;
            tmp[r * 4 + 1] = t1 + o1;
            tmp[r * 4 + 2] = t1 - o1;
            tmp[r * 4 + 3] = t0 - o0;
        }
        for (int x = 0; x < 4; x++) {
            float d0 = tmp[x];
            float d1 = tmp[4 + x];
            float d2 = tmp[8 + x];
            float d3 = tmp[12 + x];
            float t0 = d0 + d2 * C4;
            float t1 = d0 - d2 * C4;
            float o0 = d1 * C1 + d3 * S1;
            float o1 = d1 * S1 - d3 * C1;
            plane[at + x] = (byte) clampRound(t0 + o0 + 128.5f);
            plane[at + stride + x] = (byte) clampRound(t1 + o1 + 128.5f);
            plane[at + 2 * stride + x] = (byte) clampRound(t1 - o1 + 128.5f);
            plane[at + 3 * stride + x] = (byte) clampRound(t0 - o0 + 128.5f);
        }
    }

    /**
     * In place, on {@code a[at + i * step]} for i = 0..3: {@code out[x] = sum over k of in[k] * cos((2x + 1) k pi / 8)}.
     */
    private static void idct4(float[] a, int at, int step) {
        float d0 = a[at];
        float d1 = a[at + step];
        float d2 = a[at + 2 * step];
        float d3 = a[at + 3 * step];
        float t0 = d0 + d2 * C4;
        float t1 = d0 - d2 * C4;
        float o0 = d1 * C1 + d3 * S1;
        float o1 = d1 * S1 - d3 * C1;
        a[at] = t0 + o0;
        a[at + step] = t1 + o1;
        a[at + 2 * step] = t1 - o1;
        a[at + 3 * step] = t0 - o0;
    }

    /**
     * In place, on {@code a[at + i * step]} for i = 0..7: {@code out[x] = sum over k of in[k] * cos((2x + 1) k pi / 16)};
     * the even half is the 4-point transform, the odd half a product with {@link #ODD8}.
     */
    private static void idct8(float[] a, int at, int step) {
        float d0 = a[at];
        float d2 = a[at + 2 * step];
        float d4 = a[at + 4 * step];
        float d6 = a[at + 6 * step];
        float t0 = d0 + d4 * C4;
        float t1 = d0 - d4 * C4;
        float o0 = d2 * C1 + d6 * S1;
        float o1 = d2 * S1 - d6 * C1;
        float e0 = t0 + o0;
        float e1 = t1 + o1;
        float e2 = t1 - o1;
        float e3 = t0 - o0;
        float b1 = a[at + step];
        float b3 = a[at + 3 * step];
        float b5 = a[at + 5 * step];
        float b7 = a[at + 7 * step];
        float p0 = b1 * ODD8[0] + b3 * ODD8[1] + b5 * ODD8[2] + b7 * ODD8[3];
        float p1 = b1 * ODD8[4] + b3 * ODD8[5] + b5 * ODD8[6] + b7 * ODD8[7];
        float p2 = b1 * ODD8[8] + b3 * ODD8[9] + b5 * ODD8[10] + b7 * ODD8[11];
        float p3 = b1 * ODD8[12] + b3 * ODD8[13] + b5 * ODD8[14] + b7 * ODD8[15];
        a[at] = e0 + p0;
        a[at + 7 * step] = e0 - p0;
        a[at + step] = e1 + p1;
        a[at + 6 * step] = e1 - p1;
        a[at + 2 * step] = e2 + p2;
        a[at + 5 * step] = e2 - p2;
        a[at + 3 * step] = e3 + p3;
        a[at + 4 * step] = e3 - p3;
    }

    private static int clampRound(float v) {
        if (v <= 0) {
            return 0;
        }
        return v >= 255 ? 255 : (int) v;
    }

    // ---------------------------------------------------------------------------------------
    // Helpers

    private int u16(int at) throws Declined {
        if (at + 2 > data.length) {
            throw new Declined("data ends early");
        }
        return (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
    }

    private boolean startsWith(int start, int end, String prefix) {
        if (end - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if ((data[start + i] & 0xFF) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }

    private static String hex(int marker) {
        return String.format("0xFF%02X", marker);
    }

    /** One frame component and its decoding state. */
    /**
     * The blocks of one MCU of a scan as a flat list, made once per scan, so that scan loops visit
     * them in one loop rather than in loops over components and sampling factors, whose short and
     * varying trip counts cost more than a DC value. Block {@code b} of the MCU at
     * ({@code row}, {@code column}) belongs to component {@code owner[b]} of the scan and has the
     * index {@code row * rowStep[b] + column * columnStep[b] + offset[b]} in that component.
     * A scan of one component has one block per MCU, over the component's own blocks.
     */
    private final class McuPlan {
        final int rows;
        final int columns;
        final int blocksPerMcu;
        final int[] owner;
        final int[] rowStep;
        final int[] columnStep;
        final int[] offset;

        McuPlan(Component[] scan, boolean single) {
            rows = single ? scan[0].codedBlocksY : mcusY;
            columns = single ? scan[0].codedBlocksX : mcusX;
            int n = 0;
            for (Component c : scan) {
                n += single ? 1 : c.h * c.v;
            }
            blocksPerMcu = n;
            owner = new int[n];
            rowStep = new int[n];
            columnStep = new int[n];
            offset = new int[n];
            for (int i = 0, b = 0; i < scan.length; i++) {
                Component c = scan[i];
                int h = single ? 1 : c.h;
                int v = single ? 1 : c.v;
                for (int y = 0; y < v; y++) {
                    for (int x = 0; x < h; x++, b++) {
                        owner[b] = i;
                        rowStep[b] = v * c.blocksPerLine;
                        columnStep[b] = h;
                        offset[b] = y * c.blocksPerLine + x;
                    }
                }
            }
        }
    }

    private static final class Component {
        final int id;
        int h;
        int v;
        final int tq;
        int blocksPerLine;
        int blocksPerColumn;
        int codedBlocksX;
        int codedBlocksY;
        /** Kept coefficient columns and rows per block (4: half resolution, 8: full). */
        int cols;
        int rows;
        int kept;
        int[] slot;
        long keptMask;
        /** Subsampling ratios: the largest sampling factor over this component's. */
        int ratioH;
        int ratioV;
        /** Samples of the decoded plane that lie inside the image. */
        int validWidth;
        int validHeight;
        int dcTable;
        int acTable;
        Huffman dc;
        Huffman ac;
        float[] quant;
        boolean dcSeen;
        short[] coefficients;
        long[] nonZero;
        byte[] plane;
        int planeStride;
        int[] columnFirst;
        int[] columnSecond;

        Component(int id, int h, int v, int tq) {
            this.id = id;
            this.h = h;
            this.v = v;
            this.tq = tq;
        }
    }

    /** A Huffman table: a lookup for codes of up to {@link #LOOKUP_BITS} bits, canonical decoding beyond. */
    private static final class Huffman {
        static final int LOOKUP_BITS = 9;
        static final int LOOKUP_MASK = (1 << LOOKUP_BITS) - 1;

        /** {@code length << 8 | symbol} per {@link #LOOKUP_BITS}-bit prefix, 0 for longer codes. */
        final int[] lookup = new int[1 << LOOKUP_BITS];
        /** Largest code of each length, -1 if none. */
        final int[] maxCode = new int[17];
        /** Index in {@link #values} of the first symbol of each length, minus that length's first code. */
        final int[] valueOffset = new int[17];
        final byte[] values;
        /**
         * For AC tables: per {@link #LOOKUP_BITS}-bit prefix holding a whole code and its
         * coefficient bits, {@code value << 16 | run << 8 | bits used}; 0 otherwise.
         */
        final int[] fastAc = new int[1 << LOOKUP_BITS];

        Huffman(int[] counts, byte[] values) throws Declined {
            this.values = values;
            int code = 0;
            int k = 0;
            for (int l = 1; l <= 16; l++) {
                valueOffset[l] = k - code;
                for (int i = 0; i < counts[l]; i++) {
                    if (code >= 1 << l) {
                        throw new Declined("bad Huffman table");
                    }
                    if (l <= LOOKUP_BITS) {
                        int shift = LOOKUP_BITS - l;
                        int first = code << shift;
                        for (int j = 0; j < 1 << shift; j++) {
                            lookup[first + j] = l << 8 | (values[k] & 0xFF);
                        }
                    }
                    code++;
                    k++;
                }
                maxCode[l] = counts[l] > 0 ? code - 1 : -1;
                code <<= 1;
            }
            for (int prefix = 0; prefix < lookup.length; prefix++) {
                int entry = lookup[prefix];
                int length = entry >> 8;
                int run = (entry >> 4) & 15;
                int size = entry & 15;
                if (entry != 0 && size != 0 && length + size <= LOOKUP_BITS) {
                    int bits = (prefix >> (LOOKUP_BITS - length - size)) & ((1 << size) - 1);
                    int value = bits < 1 << (size - 1) ? bits - (1 << size) + 1 : bits;
                    fastAc[prefix] = value << 16 | run << 8 | (length + size);
                }
            }
        }
    }
}
