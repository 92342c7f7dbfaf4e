package dev.imagebatch.memory;

import dev.imagebatch.spi.WorkStore;
import dev.imagebatch.spi.WorkStoreContract;

/** The core contract, in memory. */
class InMemoryWorkStoreTest extends WorkStoreContract {

    @Override
    protected WorkStore newStore() {
        return new InMemoryWorkStore();
    }
}
