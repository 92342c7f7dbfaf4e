package dev.imagebatch.fs;

import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.spi.StatusStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class FileStatusStoreContractTest extends StatusStoreContract {

    @TempDir
    Path root;

    private FileStatusStore store;

    @Override
    protected StatusStore newStore() throws Exception {
        store = FileStatusStore.open(root);
        return store;
    }

    @AfterEach
    void closeStore() {
        store.close();
    }
}
