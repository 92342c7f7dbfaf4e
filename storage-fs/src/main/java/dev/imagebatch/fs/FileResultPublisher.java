package dev.imagebatch.fs;

import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.ResultPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ResultPublisher} that stores each object as a file under a root directory, at
 * {@code <root>/<key>}: {@code images/<requestId>/<row>/<index>.jpg}, {@code csv/<requestId>.csv},
 * {@code input/<requestId>.csv} (see {@link ObjectKeys}).
 *
 * <pre>{@code
 * FileResultPublisher publisher = FileResultPublisher.create(root);          // file: URLs
 * FileResultPublisher served = FileResultPublisher.builder(root)
 *         .publicBaseUrl(URI.create("https://shop.example/static/"))      // base + key
 *         .build();
 * }</pre>
 *
 * <p><b>Paths.</b> Keys are checked with {@link ObjectKeys#requireValid(String)} before any file is
 * touched, resolved one segment at a time, and checked again to lie inside the root, so no key can
 * name a file outside it. Keys starting with {@code status/} are refused: that directory belongs to
 * {@link FileStatusStore}, which may share the root. Symbolic links placed inside the root by someone
 * else are followed like any directory.
 *
 * <p><b>Atomic writes.</b> An object is written to a temporary file in its target directory
 * ({@code <name>~<random>.tmp}), flushed and fsynced, then renamed over the target atomically, and
 * the directory is fsynced. A reader sees no file or a whole file; publishing a key again replaces the
 * file whole; a failed publish leaves the previous file (or none). New files get the platform's
 * default permissions, so a web server can serve the root.
 *
 * <p><b>Leftovers of a crash.</b> The first time this publisher writes into a request's image
 * directory ({@code images/<requestId>/}), or into any other directory, it deletes the temporary
 * files found there: a resumed request thus cleans up after the process that was killed. This
 * assumes one publisher writes under a root at a time (one process, one instance), the same
 * single-writer assumption {@link FileStatusStore} enforces with its lock.
 *
 * <p><b>URLs.</b> By default the URL of an object is its file's {@code file:} URI. With
 * {@link Builder#publicBaseUrl(URI)} it is {@code base + key}, for a host that serves the root over
 * HTTP (keys contain only URL-safe characters).
 *
 * <p><b>Thread-safety, blocking, nullness.</b> Safe for concurrent use; concurrent publishes of one
 * key leave one whole object (the last rename wins). Both methods block on file I/O. Arguments must
 * not be {@code null}; results are never {@code null}.
 *
 * <p><b>Failures</b> are {@link IOException}s naming the key and the path (a file where a directory
 * should be, no space left, no permission...), with the JDK's exception as cause.
 */
public final class FileResultPublisher implements ResultPublisher {

    private final Path root;
    private final KeyPaths paths;
    private final String publicBaseUrl;
    private final Map<Path, Sweep> sweeps = new ConcurrentHashMap<>();

    private FileResultPublisher(Path root, String publicBaseUrl) {
        this.root = root;
        this.paths = new KeyPaths(root);
        this.publicBaseUrl = publicBaseUrl;
    }

    /**
     * A publisher under {@code root} handing out {@code file:} URLs; creates the root if missing.
     *
     * @param root the directory objects are stored under; made absolute
     * @return the publisher
     * @throws IOException naming the path if the root cannot be created
     */
    public static FileResultPublisher create(Path root) throws IOException {
        return builder(root).build();
    }

    /**
     * A builder for a publisher under {@code root}.
     *
     * @param root the directory objects are stored under; made absolute
     * @return a new builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * The root directory.
     *
     * @return the absolute, normalised root
     */
    public Path root() {
        return root;
    }

    /**
     * The base of the URLs handed out.
     *
     * @return the base, or empty when URLs are {@code file:} URIs
     */
    public Optional<URI> publicBaseUrl() {
        return Optional.ofNullable(publicBaseUrl).map(URI::create);
    }

    /**
     * The file that holds (or would hold) the object of {@code key}.
     *
     * @param key an object key
     * @return its file under the root
     * @throws IllegalArgumentException if the key is not valid or is reserved
     */
    public Path pathOf(String key) {
        return paths.resolve(key);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Creates missing directories (fsyncing their parents), then writes atomically as described
     * in the class description.
     */
    @Override
    public URI publish(String key, ObjectContent content) throws IOException {
        Path target = paths.resolve(key);
        Objects.requireNonNull(content, "content");
        try {
            AtomicFiles.createDirectories(target.getParent());
            sweepOnce(key, target);
            AtomicFiles.write(target, out -> {
                try (InputStream in = content.openStream()) {
                    in.transferTo(out);
                }
            }, false);
        } catch (IOException e) {
            throw PathErrors.wrap("could not publish key " + key, target, e);
        }
        return publicBaseUrl != null ? URI.create(publicBaseUrl + key) : target.toUri();
    }

    /** {@inheritDoc} */
    @Override
    public Optional<InputStream> open(String key) throws IOException {
        Path target = paths.resolve(key);
        try {
            if (Files.isDirectory(target)) {
                throw new IOException("a directory is where an object should be");
            }
            return Optional.of(Files.newInputStream(target));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw PathErrors.wrap("could not open key " + key, target, e);
        }
    }

    @Override
    public String toString() {
        return "FileResultPublisher[" + root + (publicBaseUrl != null ? ", " + publicBaseUrl : "") + "]";
    }

    /**
     * Sweeps the directory a key's file belongs to once per publisher, before the first write into
     * it: {@code images/<id>/} as a whole (rows below it) for images, else the file's own directory.
     */
    private void sweepOnce(String key, Path target) {
        String[] segments = key.split("/");
        boolean image = segments.length >= 3 && segments[0].equals("images");
        Path unit = image ? root.resolve(segments[0]).resolve(segments[1]) : target.getParent();
        int depth = image ? Integer.MAX_VALUE : 1;
        sweeps.computeIfAbsent(unit, u -> new Sweep(u, depth)).runOnce();
    }

    /** One directory's sweep; threads publishing into it wait until it has run. */
    private static final class Sweep {
        private final Path dir;
        private final int depth;
        private boolean done;

        Sweep(Path dir, int depth) {
            this.dir = dir;
            this.depth = depth;
        }

        synchronized void runOnce() {
            if (!done) {
                TempFileSweeper.sweep(dir, depth);
                done = true;
            }
        }
    }

    /** Builds a {@link FileResultPublisher}. Not thread-safe. */
    public static final class Builder {
        private final Path root;
        private String publicBaseUrl;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        }

        /**
         * Hand out {@code base + key} instead of {@code file:} URIs, for a host that serves the root
         * directory over HTTP at {@code base}.
         *
         * @param base an absolute URL ending in {@code /}, without query or fragment
         * @return this builder
         * @throws IllegalArgumentException if {@code base} is not such a URL
         */
        public Builder publicBaseUrl(URI base) {
            Objects.requireNonNull(base, "base");
            String text = base.toString();
            if (!base.isAbsolute() || base.isOpaque() || base.getRawQuery() != null || base.getRawFragment() != null
                    || !text.endsWith("/")) {
                throw new IllegalArgumentException("publicBaseUrl must be an absolute URL ending in '/' without"
                        + " query or fragment, got " + base);
            }
            publicBaseUrl = text;
            return this;
        }

        /**
         * The publisher; creates the root directory if missing.
         *
         * @return the publisher
         * @throws IOException naming the path if the root cannot be created (for example a file is in the way)
         */
        public FileResultPublisher build() throws IOException {
            try {
                AtomicFiles.createDirectories(root);
            } catch (IOException e) {
                throw PathErrors.wrap("could not create the storage root", root, e);
            }
            return new FileResultPublisher(root, publicBaseUrl);
        }
    }
}
