package dev.imagebatch.internal;

import dev.imagebatch.image.ImageCodec;
import dev.imagebatch.spi.ImageFetcher;
import dev.imagebatch.spi.ResultPublisher;
import java.util.concurrent.Executor;

/** Holds what an image pipeline needs; public only so the service in the API package can wire it. */
public final class ImagePipelineFactory {

    private final ImagePipeline pipeline;

    public ImagePipelineFactory(ImageFetcher fetcher, ImageCodec codec, ResultPublisher publisher,
                                Executor fetchExecutor, Executor cpuExecutor, Executor publishExecutor) {
        this.pipeline = new ImagePipeline(fetcher, codec, publisher, fetchExecutor, cpuExecutor, publishExecutor);
    }

    ImagePipeline pipeline() {
        return pipeline;
    }
}
