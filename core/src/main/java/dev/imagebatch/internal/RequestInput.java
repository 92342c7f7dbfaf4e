package dev.imagebatch.internal;

import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.ResultPublisher;
import java.io.IOException;
import java.io.InputStream;

/** Reads back the input CSV persisted at submission. */
final class RequestInput {

    private RequestInput() {
    }

    static InputStream open(ResultPublisher publisher, String requestId) throws IOException {
        String key = ObjectKeys.inputCsv(requestId);
        return publisher.open(key).orElseThrow(() -> new IOException("the input of request " + requestId
                + " is missing from storage (key " + key + ")"));
    }
}
