package dev.imagebatch.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * Stores objects (processed images, output CSVs, persisted inputs) under keys and answers the URL
 * a user is given for each.
 *
 * <p><b>Contract</b> (checked by the {@code ResultPublisherContract} test in core's test-jar).
 * <ul>
 *   <li>Thread-safety: safe for concurrent use from many threads; concurrent publishes of
 *       different keys do not interfere.</li>
 *   <li>Blocking: both methods block until the storage has answered.</li>
 *   <li>Keys: implementations call {@link ObjectKeys#requireValid(String)} first and throw its
 *       {@link IllegalArgumentException} for a bad key before touching storage.</li>
 *   <li>Atomic and idempotent: a reader sees either no object or the whole object; publishing a key
 *       again replaces the object whole, leaving one object.</li>
 *   <li>Failures: storage failures are {@link IOException}s that name the key (and path or bucket)
 *       and keep the cause; after a failed publish the key holds either its previous object or none,
 *       never a partial one.</li>
 *   <li>Nullness: never returns {@code null}; absence is {@link Optional#empty()}.</li>
 * </ul>
 */
public interface ResultPublisher {

    /**
     * Stores {@code content} under {@code key}, replacing any object already there.
     *
     * @return the URL a user is given for the object (a {@code file:} URI, a public HTTP URL, a
     *         presigned URL...); never {@code null}
     * @throws IllegalArgumentException if the key is not valid per {@link ObjectKeys}
     * @throws IOException              if the object could not be stored
     */
    URI publish(String key, ObjectContent content) throws IOException;

    /**
     * Opens the object stored under {@code key} for reading (the engine reads persisted inputs back
     * when it resumes a request).
     *
     * @return a stream the caller must close, or empty when no object has that key
     * @throws IllegalArgumentException if the key is not valid per {@link ObjectKeys}
     * @throws IOException              if the storage could not be read
     */
    Optional<InputStream> open(String key) throws IOException;
}
