package dev.imagebatch.image;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One use of an ImageIO reader over an in-memory image: the header is read first
 * ({@link #width()}, {@link #height()}) so that oversized images can be refused before any pixel
 * is allocated, then the first image (frame, page) is decoded by {@link #readFirstImage()}.
 *
 * <p>Not thread-safe; used by one thread and closed (which disposes the reader).
 */
final class SourceReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceReader.class);

    private final ImageFormat format;
    private final ImageInputStream stream;
    private final ImageReader reader;
    private final JpegColourLayout jpegLayout;
    private int warnings;

    private SourceReader(ImageFormat format, ImageInputStream stream, ImageReader reader, JpegColourLayout jpegLayout) {
        this.format = format;
        this.stream = stream;
        this.reader = reader;
        this.jpegLayout = jpegLayout;
    }

    /**
     * Prepares a reader for {@code bytes}, already recognised as {@code format}.
     *
     * @throws ImageFailureException {@code UNSUPPORTED_FORMAT} if no reader is installed for the format
     */
    static SourceReader open(byte[] bytes, ImageFormat format) throws ImageFailureException {
        ImageReader reader;
        try {
            reader = ImageIoPlugins.newReader(format).orElseThrow(() -> new ImageFailureException(
                    ErrorCode.UNSUPPORTED_FORMAT, "no ImageIO reader installed for " + format));
        } catch (ImageFailureException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw DecodeFailures.decodeError(format, "create a reader for", e);
        }
        ImageInputStream stream = new InMemoryImageInputStream(bytes);
        try {
            reader.setInput(stream, true, false);
        } catch (RuntimeException e) {
            reader.dispose();
            throw DecodeFailures.decodeError(format, "read", e);
        }
        JpegColourLayout layout = format == ImageFormat.JPEG ? JpegColourLayout.of(bytes) : null;
        SourceReader source = new SourceReader(format, stream, reader, layout);
        reader.addIIOReadWarningListener(source.warningLogger());
        return source;
    }

    /** Width of the first image as stored, from the header. */
    int width() throws ImageFailureException {
        try {
            return reader.getWidth(0);
        } catch (IOException | RuntimeException e) {
            throw DecodeFailures.decodeError(format, "read the header of", e);
        }
    }

    /** Height of the first image as stored, from the header. */
    int height() throws ImageFailureException {
        try {
            return reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw DecodeFailures.decodeError(format, "read the header of", e);
        }
    }

    /**
     * Decodes the first image. When the data ends early, readers that can (the JPEG reader
     * notably) deliver what they decoded and report a warning: such a partial image is accepted.
     * A CMYK or YCCK JPEG without ICC profile is read as raw samples and converted by
     * {@link CmykConverter}, so that its colours do not depend on the platform's CMYK profile.
     */
    BufferedImage readFirstImage() throws ImageFailureException {
        BufferedImage image;
        try {
            ImageReadParam param = reader.getDefaultReadParam();
            if (jpegLayout != null && jpegLayout.isUnprofiledCmyk()) {
                image = CmykConverter.toRgb(reader.readRaster(0, param), jpegLayout.adobeTransform()).toBufferedImage();
            } else {
                image = reader.read(0, param);
            }
        } catch (IOException | RuntimeException e) {
            throw DecodeFailures.decodeError(format, "decode", e);
        }
        if (image == null) {
            throw DecodeFailures.decodeError(format, "the reader returned no image");
        }
        if (warnings > 0) {
            LOG.debug("Accepted a {} image decoded with {} warning(s)", format, warnings);
        }
        return image;
    }

    private IIOReadWarningListener warningLogger() {
        return (source, warning) -> {
            warnings++;
            LOG.debug("{} reader warning: {}", format, warning);
        };
    }

    @Override
    public void close() {
        reader.dispose();
        try {
            stream.close();
        } catch (IOException e) {
            LOG.debug("Closing an in-memory stream failed", e);
        }
    }
}
