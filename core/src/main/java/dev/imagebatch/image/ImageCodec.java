package dev.imagebatch.image;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the bytes of one downloaded image into a smaller baseline JPEG.
 *
 * <p>{@link #process(byte[])} recognises the format from the bytes (never from a content type),
 * reads the dimensions from the header and refuses images over
 * {@link ImageSettings#maxPixels()} before decoding, waits for room in the shared
 * {@link PixelBudget}, decodes the first image (frame, page) with ImageIO and the TwelveMonkeys
 * plugins, converts it to sRGB (embedded ICC profiles and CMYK handled), composites transparency
 * onto white, reduces each side by {@link ImageSettings#scale()} with an area filter (see
 * {@link ImageSettings#scaledLength(int)} for the rounding), turns it upright according to its
 * EXIF orientation and encodes it with {@link ImageSettings#jpegQuality()}.
 *
 * <p>With a scale of at most one half, the common JPEGs (8-bit baseline or progressive, YCbCr or
 * grey, no ICC profile other than sRGB) are instead decoded directly at half size in the DCT
 * domain by {@code JpegHalfDecoder}, several times faster than a full decode; a smaller scale is
 * then reached with the area filter from the half-size image. Whatever that decoder declines
 * (CMYK, arithmetic coding, other profiles, damaged or truncated data...) takes the general path.
 *
 * <p>Thread-safe and stateless apart from its settings and budget: one instance serves any
 * number of threads. Each calling thread keeps its large working arrays between images, up to
 * {@link ImageSettings#retainedBytesPerThread()} (softly referenced), instead of allocating
 * them for every image.
 */
public final class ImageCodec {

    private static final Logger LOG = LoggerFactory.getLogger(ImageCodec.class);

    private final ImageSettings settings;
    private final PixelBudget budget;
    private final boolean halfSizeJpeg;

    /**
     * @param settings how to compress; not {@code null}
     * @param budget   the pixel budget shared with the other codecs of the application; not {@code null}
     * @throws NullPointerException if an argument is {@code null}
     */
    public ImageCodec(ImageSettings settings, PixelBudget budget) {
        this(settings, budget, true);
    }

    /**
     * @param halfSizeJpeg whether JPEGs may be decoded directly at half size ({@code JpegHalfDecoder});
     *                     {@code false} forces the general ImageIO path, for comparisons in tests and benchmarks
     */
    ImageCodec(ImageSettings settings, PixelBudget budget, boolean halfSizeJpeg) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.halfSizeJpeg = halfSizeJpeg;
    }

    /** The settings this codec applies; never {@code null}. */
    public ImageSettings settings() {
        return settings;
    }

    /**
     * Recognises the format of an image from its first bytes (a few dozen suffice; SVG detection
     * looks at up to 4 KB). JPEG, PNG, GIF, BMP, WebP and TIFF are {@linkplain ImageFormat#isSupported()
     * supported}; SVG, AVIF, HEIC and JPEG XL are recognised but unsupported; anything else,
     * including an empty array, is {@link ImageFormat#UNKNOWN}.
     *
     * @param head the start of the data (or all of it); not {@code null}
     * @return the format, never {@code null}
     * @throws NullPointerException if {@code head} is {@code null}
     */
    public static ImageFormat sniff(byte[] head) {
        return FormatSniffer.sniff(Objects.requireNonNull(head, "head"));
    }

    /**
     * Compresses one image. Blocks while the {@link PixelBudget} has no room for it.
     *
     * @param input the complete image file; not {@code null}, not modified, not retained
     * @return the JPEG and its dimensions; never {@code null}
     * @throws ImageFailureException with {@link ErrorCode#NOT_AN_IMAGE} for bytes in no image
     *         format (including an empty array), {@link ErrorCode#UNSUPPORTED_FORMAT} for SVG,
     *         AVIF, HEIC, JPEG XL, {@link ErrorCode#TOO_MANY_PIXELS} when the header declares more
     *         than {@link ImageSettings#maxPixels()} or a side whose output would be longer than the
     *         65,500 pixels a JPEG side can have, {@link ErrorCode#DECODE_ERROR} when a
     *         supported format cannot be decoded, {@link ErrorCode#CANCELLED} when the thread is
     *         interrupted while waiting for the budget (the interrupt flag is kept), and
     *         {@link ErrorCode#INTERNAL} if encoding fails. No other exception is thrown, except
     *         {@link Error}s such as {@link OutOfMemoryError}.
     * @throws NullPointerException if {@code input} is {@code null}
     */
    public ProcessedImage process(byte[] input) throws ImageFailureException {
        Objects.requireNonNull(input, "input");
        long started = System.nanoTime();
        try (ScratchBuffers scratch = ScratchBuffers.lease(settings.retainedBytesPerThread())) {
            return run(input, started, scratch);
        } catch (RuntimeException e) {
            // Every known failure is classified where it happens; this is the net for bugs.
            throw internal("process the image", e);
        }
    }

    private ProcessedImage run(byte[] input, long started, ScratchBuffers scratch) throws ImageFailureException {
        ImageFormat format = checkedFormat(input);
        if (halfSizeJpeg && format == ImageFormat.JPEG && settings.scale() <= 0.5) {
            ProcessedImage result = runHalfSizeJpeg(input, started, scratch);
            if (result != null) {
                return result;
            }
        }
        try (SourceReader source = SourceReader.open(input, format)) {
            long declared = checkedPixelCount(source, format, input);
            try (PixelBudget.Permit ignored = acquire(declared)) {
                RgbPixels pixels = decodeAndFlatten(source, format);
                Orientation orientation = OrientationReader.read(input, format);
                int sourceWidth = orientation.swapsSides() ? pixels.height() : pixels.width();
                int sourceHeight = orientation.swapsSides() ? pixels.width() : pixels.height();
                // Reducing before turning upright is equivalent (the filter and the scale are the
                // same on both axes) and moves four times fewer pixels.
                RgbPixels upright = orientation.apply(resize(pixels, settings.scaledLength(pixels.width()),
                        settings.scaledLength(pixels.height())));
                pixels = null; // the full-size copy is no longer needed while encoding
                byte[] jpeg = encode(upright, scratch);
                ProcessedImage result = new ProcessedImage(jpeg, upright.width(), upright.height(),
                        sourceWidth, sourceHeight, format);
                LOG.debug("Processed {} in {} ms", result, (System.nanoTime() - started) / 1_000_000);
                return result;
            }
        }
    }

    /**
     * The JPEG path for scales up to one half: {@code JpegHalfDecoder} decodes directly at half
     * size (each side {@code ceil(side / 2)}, which is {@link ImageSettings#scaledLength(int)} at
     * scale 0.5); a smaller scale is then reached with the area filter from there. The pixel limit
     * is checked from the frame header before anything is allocated, and the budget is charged
     * what this path holds (the half-size image and the coefficients), not a full decode.
     *
     * @return {@code null} when the decoder declines the file (a kind it does not handle, or
     *         damaged data): the caller then takes the general path, with the budget released
     */
    private ProcessedImage runHalfSizeJpeg(byte[] input, long started, ScratchBuffers scratch)
            throws ImageFailureException {
        JpegHalfDecoder decoder;
        try {
            decoder = JpegHalfDecoder.open(input);
        } catch (JpegHalfDecoder.Declined e) {
            LOG.debug("JPEG decoded the general way: {}", e.getMessage());
            return null;
        } catch (RuntimeException e) {
            LOG.warn("Half-size JPEG decoder failed unexpectedly, decoding the general way: {}", e.toString());
            return null;
        }
        int width = decoder.width();
        int height = decoder.height();
        checkPixelLimit(width, height, ImageFormat.JPEG);
        try (PixelBudget.Permit ignored = acquire(decoder.workingPixels())) {
            BgrPixels half;
            try {
                half = decoder.decode(settings.maxPixels(), scratch);
            } catch (JpegHalfDecoder.Declined e) {
                LOG.debug("JPEG decoded the general way after all: {}", e.getMessage());
                return null;
            } catch (RuntimeException e) {
                LOG.warn("Half-size JPEG decoder failed unexpectedly, decoding the general way: {}", e.toString());
                return null;
            }
            Orientation orientation = OrientationReader.read(input, ImageFormat.JPEG);
            int sourceWidth = orientation.swapsSides() ? height : width;
            int sourceHeight = orientation.swapsSides() ? width : height;
            int outWidth = settings.scaledLength(width);
            int outHeight = settings.scaledLength(height);
            byte[] jpeg;
            if (orientation == Orientation.NORMAL && outWidth == half.width() && outHeight == half.height()) {
                jpeg = encode(half); // the usual case: the decoder's pixels are the output
            } else {
                RgbPixels upright = orientation.apply(resize(half.toRgb(), outWidth, outHeight));
                jpeg = encode(upright, scratch);
            }
            int uprightWidth = orientation.swapsSides() ? outHeight : outWidth;
            int uprightHeight = orientation.swapsSides() ? outWidth : outHeight;
            ProcessedImage result = new ProcessedImage(jpeg, uprightWidth, uprightHeight,
                    sourceWidth, sourceHeight, ImageFormat.JPEG);
            LOG.debug("Processed {} at half size in {} ms", result, (System.nanoTime() - started) / 1_000_000);
            return result;
        }
    }

    /**
     * The decoding stages of {@link #process}, without reducing and encoding: the first image of
     * {@code input} in sRGB, composited onto white and turned upright, as a
     * {@link BufferedImage#TYPE_INT_RGB} image. The pixel limit applies; the budget does not.
     */
    BufferedImage decodeToSrgb(byte[] input) throws ImageFailureException {
        ImageFormat format = checkedFormat(Objects.requireNonNull(input, "input"));
        try (SourceReader source = SourceReader.open(input, format)) {
            checkedPixelCount(source, format, input);
            RgbPixels pixels = decodeAndFlatten(source, format);
            return OrientationReader.read(input, format).apply(pixels).toBufferedImage();
        }
    }

    private static ImageFormat checkedFormat(byte[] input) throws ImageFailureException {
        ImageFormat format = FormatSniffer.sniff(input);
        if (!format.isImage()) {
            throw new ImageFailureException(ErrorCode.NOT_AN_IMAGE, input.length == 0
                    ? "empty body" : "not a recognised image format (" + input.length + " bytes)");
        }
        if (!format.isSupported()) {
            throw new ImageFailureException(ErrorCode.UNSUPPORTED_FORMAT, format + " images are not supported");
        }
        if (format == ImageFormat.PNG) {
            PngChunkVerifier.verify(input);
        }
        if (format == ImageFormat.JPEG && JpegSegments.endsBeforeScanData(input)) {
            throw DecodeFailures.decodeError(format, "the data ends before any image data");
        }
        return format;
    }

    /** Reads the size from the header only, so that no pixel memory is spent on refused images. */
    private long checkedPixelCount(SourceReader source, ImageFormat format, byte[] input) throws ImageFailureException {
        int width = source.width();
        int height = source.height();
        long pixels = checkPixelLimit(width, height, format);
        if (format == ImageFormat.WEBP) {
            // The frame inside an extended WebP declares its own size, which the decoder allocates for.
            long frame = WebpFrames.largestFramePixels(input);
            if (frame > settings.maxPixels()) {
                throw new ImageFailureException(ErrorCode.TOO_MANY_PIXELS, "WEBP frame header declares " + frame
                        + " pixels (canvas " + width + "x" + height + "), more than the limit of " + settings.maxPixels());
            }
            pixels = Math.max(pixels, frame);
        }
        return pixels;
    }

    private long checkPixelLimit(int width, int height, ImageFormat format) throws ImageFailureException {
        if (width < 1 || height < 1) {
            throw DecodeFailures.decodeError(format, "header declares an empty image " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > settings.maxPixels()) {
            throw new ImageFailureException(ErrorCode.TOO_MANY_PIXELS, format + " header declares " + width + "x"
                    + height + " = " + pixels + " pixels, more than the limit of " + settings.maxPixels());
        }
        int outputWidth = settings.scaledLength(width);
        int outputHeight = settings.scaledLength(height);
        if (Math.max(outputWidth, outputHeight) > JpegEncoder.MAX_SIDE) {
            // A long thin image can be within the pixel limit and still not fit in a JPEG.
            throw new ImageFailureException(ErrorCode.TOO_MANY_PIXELS, format + " header declares " + width + "x"
                    + height + ": the output would be " + outputWidth + "x" + outputHeight + ", longer than the "
                    + JpegEncoder.MAX_SIDE + " pixels a JPEG side can have");
        }
        return pixels;
    }

    private PixelBudget.Permit acquire(long pixels) throws ImageFailureException {
        try {
            return budget.acquire(pixels);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageFailureException(ErrorCode.CANCELLED, "interrupted while waiting for pixel budget", e);
        }
    }

    private static RgbPixels decodeAndFlatten(SourceReader source, ImageFormat format) throws ImageFailureException {
        BufferedImage decoded = source.readFirstImage();
        try {
            return WhiteFlattener.flatten(ColorSpaceConverter.toSrgb(decoded));
        } catch (RuntimeException e) {
            throw DecodeFailures.decodeError(format, "convert the colours of", e);
        }
    }

    private static RgbPixels resize(RgbPixels pixels, int width, int height) throws ImageFailureException {
        try {
            return BoxResampler.resize(pixels, width, height);
        } catch (RuntimeException e) {
            throw internal("resize", e);
        }
    }

    private byte[] encode(RgbPixels pixels, ScratchBuffers scratch) throws ImageFailureException {
        try {
            return JpegEncoder.encode(pixels, settings.jpegQuality(), scratch);
        } catch (IOException | RuntimeException e) {
            throw internal("encode JPEG", e);
        }
    }

    private byte[] encode(BgrPixels pixels) throws ImageFailureException {
        try {
            return JpegEncoder.encode(pixels, settings.jpegQuality());
        } catch (IOException | RuntimeException e) {
            throw internal("encode JPEG", e);
        }
    }

    private static ImageFailureException internal(String stage, Exception e) {
        return new ImageFailureException(ErrorCode.INTERNAL,
                "cannot " + stage + " (" + e.getClass().getName() + ": " + e.getMessage() + ")", e);
    }
}
