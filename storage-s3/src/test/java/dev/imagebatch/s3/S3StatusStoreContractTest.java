package dev.imagebatch.s3;

import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.spi.StatusStoreContract;

/** The core contract, against the S3 test server; each test gets a fresh bucket. */
class S3StatusStoreContractTest extends StatusStoreContract {

    @Override
    protected StatusStore newStore() throws Exception {
        S3TestServer server = S3TestServer.shared();
        return S3StatusStore.builder(server.admin(), server.newBucket()).prefix("p/").build();
    }
}
