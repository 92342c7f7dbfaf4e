package dev.imagebatch.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    @Test
    void recordsRoundTripWithEveryOptionalPresentOrAbsent() throws Exception {
        Instant t = Instant.parse("2026-03-04T05:06:07.089Z");
        RequestStatus bare = RequestStatus.accepted("id-1", 3, t, WebhookDelivery.NOT_REQUESTED);
        RequestRecord minimal = new RequestRecord(bare, Optional.empty());
        RequestRecord full = new RequestRecord(bare.withCounts(2, 1, t)
                .finished(RequestState.COMPLETED_WITH_ERRORS, Optional.of(URI.create("file:///x/csv/id-1.csv")),
                        Optional.of("why\nnot"), t)
                .withWebhook(new WebhookDelivery(WebhookDelivery.State.FAILED, 6, 500, Optional.of("HTTP 500"),
                        Optional.empty()), t), Optional.of(URI.create("https://hooks.example/h?x=1")));
        assertThat(RecordJson.readRecord(RecordJson.write(minimal))).isEqualTo(minimal);
        assertThat(RecordJson.readRecord(RecordJson.write(full))).isEqualTo(full);
    }

    @Test
    void imageResultsAreOneLineAndRoundTrip() throws Exception {
        ImageResult ok = ImageResult.success(1, 2, "https://shop.example/a,b.jpg", URI.create("memory:/images/x/1/2.jpg"));
        ImageResult http = ImageResult.failure(3, 1, "https://shop.example/\n", ImageError.httpStatus(404));
        ImageResult timeout = ImageResult.failure(3, 2, "https://shop.example/t", ImageError.of(ErrorCode.TIMEOUT, "slow"));
        for (ImageResult result : new ImageResult[] {ok, http, timeout}) {
            byte[] json = RecordJson.write(result);
            assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("\n");
            assertThat(RecordJson.readImage(json)).isEqualTo(result);
        }
    }

    @Test
    void malformedInputIsAnIOExceptionSayingWhat() {
        assertThatThrownBy(() -> RecordJson.readRecord("{\"request_id\":\"x\"".getBytes()))
                .isInstanceOf(IOException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RecordJson.readRecord("{\"request_id\":\"x\"}".getBytes()))
                .isInstanceOf(IOException.class).hasMessageContaining("missing field");
        assertThatThrownBy(() -> RecordJson.readImage("[]".getBytes()))
                .isInstanceOf(IOException.class).hasMessageContaining("not a JSON object");
    }
}
