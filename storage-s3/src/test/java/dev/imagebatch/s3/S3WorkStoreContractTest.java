package dev.imagebatch.s3;

import dev.imagebatch.spi.WorkStore;
import dev.imagebatch.spi.WorkStoreContract;

/** The core contract, against the S3 test server; each test gets a fresh bucket. */
class S3WorkStoreContractTest extends WorkStoreContract {

    @Override
    protected WorkStore newStore() throws Exception {
        S3TestServer server = S3TestServer.shared();
        return S3WorkStore.builder(server.admin(), server.newBucket()).prefix("p/").build();
    }
}
