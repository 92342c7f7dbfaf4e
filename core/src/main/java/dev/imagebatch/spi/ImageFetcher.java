package dev.imagebatch.spi;

import java.io.IOException;
import java.net.URI;

/**
 * Downloads the bytes behind one image URL.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>Thread-safety: implementations must be safe for concurrent use; the engine calls
 *       {@link #fetch} from many threads at once.</li>
 *   <li>Blocking: {@link #fetch} blocks the calling thread until the bytes are read or the
 *       attempt fails; implementations bound that time with their own timeouts.</li>
 *   <li>Failures: a classified failure is an {@link ImageFailureException} carrying an
 *       {@link dev.imagebatch.ErrorCode}; any other {@link IOException} is recorded as
 *       {@code CONNECTION_ERROR}. A fetch that throws leaves no state behind; the engine does
 *       not retry on top of the fetcher (retrying is the fetcher's job).</li>
 *   <li>Nullness: never returns {@code null}.</li>
 *   <li>Interruption: when the calling thread is interrupted the fetch should stop promptly
 *       and throw an {@link IOException} (for instance {@link java.io.InterruptedIOException}).</li>
 * </ul>
 *
 * <p>The default implementation is {@link dev.imagebatch.http.OkHttpImageFetcher}, which refuses
 * private and loopback addresses; {@link dev.imagebatch.memory.InMemoryImageFetcher} serves bytes
 * from a map for tests.
 */
@FunctionalInterface
public interface ImageFetcher {

    /**
     * Downloads {@code url}.
     *
     * @param url an absolute {@code http} or {@code https} URL
     * @return the downloaded bytes, never {@code null}
     * @throws ImageFailureException for a failure with a known reason (HTTP status, timeout,
     *                               blocked address, too large...)
     * @throws IOException           for any other transport failure
     */
    FetchedImage fetch(URI url) throws IOException;
}
