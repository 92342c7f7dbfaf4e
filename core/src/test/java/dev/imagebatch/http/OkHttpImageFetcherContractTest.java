package dev.imagebatch.http;

import dev.imagebatch.spi.ImageFetcher;
import dev.imagebatch.spi.ImageFetcherContract;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.jetbrains.annotations.NotNull;

/** The default fetcher passes the SPI contract against a real loopback server. */
class OkHttpImageFetcherContractTest extends ImageFetcherContract {

    @Override
    protected Fixture newFixture() throws Exception {
        Map<String, MockResponse> served = new ConcurrentHashMap<>();
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public @NotNull MockResponse dispatch(@NotNull RecordedRequest request) {
                return served.getOrDefault(request.getUrl().encodedPath(), new MockResponse.Builder().code(404).build());
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        OkHttpImageFetcher fetcher = OkHttpImageFetcher.builder()
                .addressPolicy(AddressPolicy.publicOnly().allow("127.0.0.0/8"))
                .build();
        return new Fixture() {
            @Override
            public URI serve(String name, byte[] bytes, String contentType) {
                served.put("/" + name, new MockResponse.Builder().code(200)
                        .setHeader("Content-Type", contentType).body(new Buffer().write(bytes)).build());
                return URI.create(server.url("/" + name).toString());
            }

            @Override
            public URI missing() {
                return URI.create(server.url("/missing.jpg").toString());
            }

            @Override
            public ImageFetcher fetcher() {
                return fetcher;
            }

            @Override
            public void close() {
                fetcher.close();
                server.close();
            }
        };
    }
}
