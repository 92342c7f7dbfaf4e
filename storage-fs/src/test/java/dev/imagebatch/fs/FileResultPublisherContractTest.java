package dev.imagebatch.fs;

import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.ResultPublisherContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileResultPublisherContractTest extends ResultPublisherContract {

    @TempDir
    Path root;

    @Override
    protected ResultPublisher newPublisher() throws Exception {
        return FileResultPublisher.create(root);
    }
}
