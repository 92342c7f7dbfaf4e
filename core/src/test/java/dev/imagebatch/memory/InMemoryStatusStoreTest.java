package dev.imagebatch.memory;

import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.spi.StatusStoreContract;

class InMemoryStatusStoreTest extends StatusStoreContract {
    @Override
    protected StatusStore newStore() {
        return new InMemoryStatusStore();
    }
}
