package dev.imagebatch.examples.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Shows a stored {@code file:} URL under the served directory as its {@code /static/} URL, so a
 * request processed earlier by the {@code process} command is downloadable from {@code serve} too.
 * Other URLs (already {@code http}, or files elsewhere) are shown unchanged.
 */
final class StaticLinks implements UnaryOperator<URI> {

    private final Optional<Path> root;
    private final URI staticBase;

    /**
     * @param root       the served directory, if objects are local files
     * @param staticBase the URL of {@code /static/}, ending in {@code /}
     */
    StaticLinks(Optional<Path> root, URI staticBase) {
        this.root = root.map(path -> path.toAbsolutePath().normalize());
        this.staticBase = staticBase;
    }

    @Override
    public URI apply(URI stored) {
        if (root.isEmpty() || !"file".equalsIgnoreCase(stored.getScheme())) {
            return stored;
        }
        Path file = Path.of(stored).toAbsolutePath().normalize();
        if (!file.startsWith(root.get())) {
            return stored;
        }
        Path relative = root.get().relativize(file);
        String first = relative.getNameCount() > 0 ? relative.getName(0).toString() : "";
        if (!ApiServer.SERVED_FOLDERS.contains(first)) {
            return stored;
        }
        StringBuilder path = new StringBuilder();
        for (Path part : relative) {
            path.append(path.length() == 0 ? "" : "/").append(part);
        }
        return staticBase.resolve(path.toString());
    }
}
