package dev.imagebatch.examples.server;

import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.WebhookSettings;
import dev.imagebatch.examples.wiring.Engine;
import dev.imagebatch.examples.wiring.Storage;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Starts {@link ApiServer}s on 127.0.0.1 over a data directory, fetching from loopback only. */
public final class TestServers {

    private TestServers() {
    }

    public static ApiServer start(Path data) throws IOException {
        return start(data, ProcessingSettings.builder().workers(1).build());
    }

    public static ApiServer start(Path data, ProcessingSettings settings) throws IOException {
        AddressPolicy loopback = AddressPolicy.publicOnly().allow("127.0.0.0/8");
        return ApiServer.start("127.0.0.1", 0, Optional.empty(), Optional.of(data), objects -> Engine.start(
                Storage.filesystem(data, Optional.of(objects)),
                OkHttpImageFetcher.builder().addressPolicy(loopback).build(),
                settings,
                WebhookSettings.builder().addressPolicy(loopback).build(),
                ProcessingListener.NONE));
    }
}
