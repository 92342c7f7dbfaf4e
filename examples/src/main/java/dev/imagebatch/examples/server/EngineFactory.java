package dev.imagebatch.examples.server;

import dev.imagebatch.examples.wiring.Engine;
import java.io.IOException;
import java.net.URI;

/** Starts the engine once the server knows the URL under which published objects are served. */
@FunctionalInterface
public interface EngineFactory {

    /**
     * @param objectsBaseUrl the URL of {@code /static/} on this server, ending in {@code /}; a
     *                       filesystem publisher hands out {@code objectsBaseUrl + key}
     * @throws IOException if the storage cannot be opened
     */
    Engine open(URI objectsBaseUrl) throws IOException;
}
