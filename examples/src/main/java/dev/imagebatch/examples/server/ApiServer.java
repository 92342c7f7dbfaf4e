package dev.imagebatch.examples.server;

import dev.imagebatch.examples.json.ApiBodies;
import dev.imagebatch.examples.json.Json;
import dev.imagebatch.examples.json.StatusViews;
import dev.imagebatch.examples.wiring.Engine;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original service's HTTP API over an imagebatch engine, plus an upload page:
 * <ul>
 *   <li>{@code GET /}: the upload page (HTML, CSS and JS from the jar);</li>
 *   <li>{@code POST /api/upload}, {@code GET /api/status}: see {@link UploadHandler}, {@link StatusHandler};</li>
 *   <li>{@code GET /static/csv/...}, {@code GET /static/images/...}: the output CSVs and processed
 *       images, when they are local files. Persisted inputs and status records are not served.</li>
 * </ul>
 * Unfinished requests found in the storage are resumed at start.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** The folders of the storage root served under {@code /static/}. */
    static final List<String> SERVED_FOLDERS = List.of("csv", "images");

    /** Larger than the default CSV limit, so the engine, not the server, reports an oversized file. */
    private static final long MAX_UPLOAD_BYTES = 64L * 1024 * 1024;

    private static final String PAGE_RESOURCES = "/dev/imagebatch/examples/web";

    private final Javalin app;
    private final Engine engine;
    private final URI publicUrl;
    private final List<String> resumed;
    private boolean closed;

    private ApiServer(Javalin app, Engine engine, URI publicUrl, List<String> resumed) {
        this.app = app;
        this.engine = engine;
        this.publicUrl = publicUrl;
        this.resumed = resumed;
    }

    /**
     * Binds the port, starts the engine, resumes unfinished requests and serves.
     *
     * @param host       the address to bind, such as {@code 127.0.0.1}
     * @param port       the port, or 0 for any free one
     * @param publicUrl  the URL clients reach this server at; default {@code http://host:port/}
     * @param staticRoot the directory whose {@code csv/} and {@code images/} are served under
     *                   {@code /static/}, when the storage is local
     * @param engines    starts the engine once the URL of {@code /static/} is known
     * @throws IOException if the engine's storage cannot be opened (the port is released again)
     */
    public static ApiServer start(String host, int port, Optional<URI> publicUrl, Optional<Path> staticRoot,
                                  EngineFactory engines) throws IOException {
        Objects.requireNonNull(engines, "engines");
        if (staticRoot.isPresent()) {
            for (String folder : SERVED_FOLDERS) {
                Files.createDirectories(staticRoot.get().resolve(folder));
            }
        }
        Backend backend = new Backend();
        Javalin app = Javalin.create(config -> configure(config, backend, staticRoot)).start(host, port);
        URI base = publicUrl.map(ApiServer::withSlash).orElseGet(() -> defaultUrl(host, app.port()));
        URI staticBase = base.resolve("static/");
        Engine engine;
        try {
            engine = engines.open(staticBase);
        } catch (IOException | RuntimeException e) {
            app.stop();
            throw e;
        }
        List<String> resumed;
        try {
            backend.set(new Backend.Parts(engine.service(), new StatusViews(new StaticLinks(staticRoot, staticBase))));
            resumed = engine.service().resumeUnfinished();
        } catch (IOException | RuntimeException e) {
            app.stop();
            engine.close();
            throw e;
        }
        LOG.debug("Serving at {}; resumed {}", base, resumed);
        return new ApiServer(app, engine, base, resumed);
    }

    private static void configure(JavalinConfig config, Backend backend, Optional<Path> staticRoot) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jsonMapper(new JavalinJackson(Json.mapper(), false));
        config.jetty.multipartConfig.maxFileSize(MAX_UPLOAD_BYTES, SizeUnit.BYTES);
        config.jetty.multipartConfig.maxTotalRequestSize(MAX_UPLOAD_BYTES + 1024 * 1024, SizeUnit.BYTES);
        config.jetty.multipartConfig.maxInMemoryFileSize(1024 * 1024, SizeUnit.BYTES);
        config.http.maxRequestSize = MAX_UPLOAD_BYTES + 1024 * 1024;

        config.routes.post("/api/upload", new UploadHandler(backend));
        config.routes.get("/api/status", new StatusHandler(backend));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.warn("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .json(new ApiBodies.Message("Internal server error", null));
        });

        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = PAGE_RESOURCES;
            files.location = Location.CLASSPATH;
        });
        staticRoot.ifPresent(root -> {
            for (String folder : SERVED_FOLDERS) {
                config.staticFiles.add(files -> {
                    files.hostedPath = "/static/" + folder;
                    files.directory = root.resolve(folder).toAbsolutePath().toString();
                    files.location = Location.EXTERNAL;
                });
            }
        });
    }

    private static URI withSlash(URI url) {
        String text = url.toString();
        return URI.create(text.endsWith("/") ? text : text + "/");
    }

    private static URI defaultUrl(String host, int port) {
        String shown = switch (host) {
            case "0.0.0.0", "::", "[::]" -> "localhost";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
        return URI.create("http://" + shown + ":" + port + "/");
    }

    /** The URL clients use, ending in {@code /}. */
    public URI url() {
        return publicUrl;
    }

    /** The port bound. */
    public int port() {
        return app.port();
    }

    /** Ids of the requests resumed at start. */
    public List<String> resumed() {
        return resumed;
    }

    /** Stops accepting HTTP requests, then closes the engine (unfinished requests stay resumable). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        app.stop();
        engine.close();
    }
}
