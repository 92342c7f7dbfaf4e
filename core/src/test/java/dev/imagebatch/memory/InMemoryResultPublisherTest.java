package dev.imagebatch.memory;

import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.ResultPublisherContract;

class InMemoryResultPublisherTest extends ResultPublisherContract {
    @Override
    protected ResultPublisher newPublisher() {
        return new InMemoryResultPublisher();
    }
}
