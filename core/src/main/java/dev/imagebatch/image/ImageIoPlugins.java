package dev.imagebatch.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the ImageIO plugins the codec uses, so that the choice does not depend on registration
 * order: TwelveMonkeys readers where they exist (they handle CMYK/YCCK JPEG, ICC profiles and more
 * TIFF/BMP variants), the JDK's for PNG and GIF, and always the JDK's own JPEG writer.
 *
 * <p>The choice is made once per class loading. Thread-safe: each call creates new instances.
 */
final class ImageIoPlugins {

    private static final Logger LOG = LoggerFactory.getLogger(ImageIoPlugins.class);
    private static final String PREFERRED_READER_PACKAGE = "com.twelvemonkeys.";
    private static final String JDK_PLUGIN_PACKAGE = "com.sun.imageio.";

    private static final Map<ImageFormat, String> FORMAT_NAMES = Map.of(
            ImageFormat.JPEG, "jpeg",
            ImageFormat.PNG, "png",
            ImageFormat.GIF, "gif",
            ImageFormat.BMP, "bmp",
            ImageFormat.WEBP, "webp",
            ImageFormat.TIFF, "tiff");

    private static final Map<ImageFormat, ImageReaderSpi> READERS;
    private static final ImageWriterSpi JPEG_WRITER;

    static {
        ensureClasspathPluginsRegistered();
        Map<ImageFormat, ImageReaderSpi> readers = new EnumMap<>(ImageFormat.class);
        FORMAT_NAMES.forEach((format, name) -> chooseReader(name).ifPresent(spi -> readers.put(format, spi)));
        READERS = readers;
        JPEG_WRITER = chooseJpegWriter();
        LOG.debug("Image readers: {}; JPEG writer: {}", READERS, JPEG_WRITER);
    }

    private ImageIoPlugins() {
    }

    /** A new reader for {@code format}, or empty if none is installed. */
    static Optional<ImageReader> newReader(ImageFormat format) throws IOException {
        ImageReaderSpi spi = READERS.get(format);
        return spi == null ? Optional.empty() : Optional.of(spi.createReaderInstance());
    }

    /** A new JPEG writer; the JDK's when present. */
    static ImageWriter newJpegWriter() throws IOException {
        if (JPEG_WRITER == null) {
            throw new IOException("no JPEG ImageWriter installed");
        }
        return JPEG_WRITER.createWriterInstance();
    }

    /**
     * The registry is filled from the context class loader the first time ImageIO is used; in an
     * application server that may not be the loader that sees the TwelveMonkeys jars next to this
     * library, so scan with this class's loader when the WebP reader (TwelveMonkeys only) is missing.
     */
    private static void ensureClasspathPluginsRegistered() {
        if (chooseReader("webp").isPresent()) {
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            thread.setContextClassLoader(ImageIoPlugins.class.getClassLoader());
            IIORegistry.getDefaultInstance().registerApplicationClasspathSpis();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Optional<ImageReaderSpi> chooseReader(String formatName) {
        List<ImageReaderSpi> candidates = new ArrayList<>();
        Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
        while (it.hasNext()) {
            ImageReaderSpi spi = it.next();
            if (Arrays.stream(spi.getFormatNames()).anyMatch(formatName::equalsIgnoreCase)) {
                candidates.add(spi);
            }
        }
        return candidates.stream()
                .min(Comparator.comparingInt(spi -> spi.getClass().getName().startsWith(PREFERRED_READER_PACKAGE) ? 0 : 1));
    }

    private static ImageWriterSpi chooseJpegWriter() {
        List<ImageWriterSpi> candidates = new ArrayList<>();
        Iterator<ImageWriterSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageWriterSpi.class, true);
        while (it.hasNext()) {
            ImageWriterSpi spi = it.next();
            if (Arrays.stream(spi.getFormatNames()).anyMatch("jpeg"::equalsIgnoreCase)) {
                candidates.add(spi);
            }
        }
        return candidates.stream()
                .min(Comparator.comparingInt(spi -> spi.getClass().getName().startsWith(JDK_PLUGIN_PACKAGE) ? 0 : 1))
                .orElse(null);
    }
}
