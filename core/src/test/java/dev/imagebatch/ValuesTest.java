package dev.imagebatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {

    private static final URI PRESIGNED = URI.create(
            "https://bucket.s3.example/csv/x.csv?X-Amz-Credential=AKIA123&X-Amz-Signature=deadbeef");

    @Test
    void statusAndResultNeverPrintQueryStringsOrCredentials() {
        Instant t = Instant.EPOCH;
        RequestStatus status = RequestStatus.accepted("id", 1, t, WebhookDelivery.NOT_REQUESTED)
                .withCounts(1, 0, t).finished(RequestState.COMPLETED, Optional.of(PRESIGNED), Optional.empty(), t);
        ImageResult result = ImageResult.success(1, 1, "https://user:pw@shop.example/a.jpg?sig=1", PRESIGNED);
        for (String text : new String[] {status.toString(), result.toString()}) {
            assertThat(text).doesNotContain("AKIA123", "deadbeef", "pw@", "sig=1").contains("?…");
        }
        assertThat(result.toString()).contains("https://shop.example/a.jpg");
    }

    @Test
    void valuesRefuseInconsistentContent() {
        assertThatThrownBy(() -> new ImageResult(1, 1, "u", Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageResult.success(0, 1, "u", PRESIGNED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageError(ErrorCode.TIMEOUT, "x", 500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestStatus.accepted("id", 1, Instant.EPOCH, WebhookDelivery.PENDING)
                .withCounts(1, 1, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ImageError.httpStatus(404).message()).isEqualTo("HTTP 404");
    }
}
