package dev.imagebatch.image;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the EXIF orientation tag of an image (JPEG APP1, TIFF IFD0, PNG eXIf, WebP EXIF) with
 * the TwelveMonkeys TIFF metadata reader. Broken metadata never fails an image: it reads as
 * {@link Orientation#NORMAL}. Stateless and thread-safe.
 */
final class OrientationReader {

    private static final Logger LOG = LoggerFactory.getLogger(OrientationReader.class);

    private OrientationReader() {
    }

    static Orientation read(byte[] image, ImageFormat format) {
        Optional<byte[]> exif = ExifLocator.find(image, format);
        if (exif.isEmpty()) {
            return Orientation.NORMAL;
        }
        try {
            Directory directory = new TIFFReader().read(new ByteArrayImageInputStream(exif.get()));
            if (directory instanceof CompoundDirectory compound) {
                if (compound.directoryCount() == 0) {
                    return Orientation.NORMAL;
                }
                directory = compound.getDirectory(0); // IFD0: the main image, not the thumbnail
            }
            Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
            if (entry == null || !(entry.getValue() instanceof Number value)) {
                return Orientation.NORMAL;
            }
            return Orientation.fromExif(value.intValue());
        } catch (IOException | RuntimeException e) {
            LOG.debug("Ignoring unreadable EXIF in a {} image: {}", format, e.toString());
            return Orientation.NORMAL;
        }
    }
}
