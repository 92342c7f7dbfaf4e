package dev.imagebatch.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the temporary files a crash left behind (see {@link AtomicFiles#isTempName(String)}).
 * Best effort: a failure is logged and the sweep goes on; it never throws. Callers guarantee that
 * no write of their own is in progress in the swept directories.
 */
final class TempFileSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(TempFileSweeper.class);

    private TempFileSweeper() {
    }

    /**
     * Deletes temporary files in {@code dir} and its subdirectories down to {@code maxDepth} levels
     * ({@code 1}: the directory's own entries). A missing directory is fine.
     *
     * @return how many files were deleted
     */
    static int sweep(Path dir, int maxDepth) {
        int[] deleted = {0};
        try {
            Files.walkFileTree(dir, EnumSet.noneOf(java.nio.file.FileVisitOption.class), maxDepth,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && AtomicFiles.isTempName(file.getFileName().toString())) {
                                try {
                                    if (Files.deleteIfExists(file)) {
                                        deleted[0]++;
                                    }
                                } catch (IOException e) {
                                    LOG.warn("Could not delete the leftover temporary file {}: {}", file, e.toString());
                                }
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (!(e instanceof NoSuchFileException)) {
                                LOG.warn("Could not look for leftover temporary files in {}: {}", file, e.toString());
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            LOG.warn("Could not look for leftover temporary files in {}: {}", dir, e.toString());
        }
        if (deleted[0] > 0) {
            LOG.info("Removed {} temporary file(s) left by an interrupted write under {}", deleted[0], dir);
        }
        return deleted[0];
    }
}
