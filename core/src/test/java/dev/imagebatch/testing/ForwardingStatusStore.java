package dev.imagebatch.testing;

import dev.imagebatch.ImageResult;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.StatusStore;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Passes every call to another status store; tests override the calls they observe or break. */
public class ForwardingStatusStore implements StatusStore {

    private final StatusStore delegate;

    public ForwardingStatusStore(StatusStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void create(RequestRecord record) throws IOException {
        delegate.create(record);
    }

    @Override
    public Optional<RequestRecord> find(String requestId) throws IOException {
        return delegate.find(requestId);
    }

    @Override
    public RequestRecord update(String requestId, UnaryOperator<RequestRecord> change) throws IOException {
        return delegate.update(requestId, change);
    }

    @Override
    public void putImages(String requestId, Collection<ImageResult> results) throws IOException {
        delegate.putImages(requestId, results);
    }

    @Override
    public List<ImageResult> images(String requestId) throws IOException {
        return delegate.images(requestId);
    }

    @Override
    public List<String> unfinished() throws IOException {
        return delegate.unfinished();
    }
}
