package dev.imagebatch.s3;

import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.ResultPublisherContract;

/** The core contract, against the S3 test server; each test gets a fresh bucket. */
class S3ResultPublisherContractTest extends ResultPublisherContract {

    @Override
    protected ResultPublisher newPublisher() throws Exception {
        S3TestServer server = S3TestServer.shared();
        return S3ResultPublisher.builder(server.admin(), server.newBucket()).prefix("p/").build();
    }
}
