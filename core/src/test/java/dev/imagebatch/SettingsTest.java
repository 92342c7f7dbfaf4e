package dev.imagebatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void processingDefaultsAreTheDocumentedOnes() {
        ProcessingSettings d = ProcessingSettings.defaults();
        assertThat(d.fetchConcurrency()).isEqualTo(16);
        assertThat(d.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(d.scale()).isEqualTo(0.5);
        assertThat(d.jpegQuality()).isEqualTo(0.5f);
        assertThat(d.maxPixels()).isEqualTo(50_000_000L);
        assertThat(d.retainedBytesPerThread()).isEqualTo(64L << 20);
        assertThat(d.maxCsvBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(d.maxRows()).isEqualTo(100_000);
        assertThat(d.maxUrlsPerRow()).isEqualTo(50);
        assertThat(d.maxUrlLength()).isEqualTo(2048);
        assertThat(d.neutralizeFormulas()).isFalse();
        assertThat(d.progressBatchSize()).isEqualTo(32);
        assertThat(d.progressInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyProcessingSetterRefusesOutOfRangeValuesNamingTheSetting() {
        ProcessingSettings.Builder b = ProcessingSettings.builder();
        assertThatThrownBy(() -> b.fetchConcurrency(0)).hasMessageContaining("fetchConcurrency");
        assertThatThrownBy(() -> b.workers(0)).hasMessageContaining("workers");
        assertThatThrownBy(() -> b.scale(0)).hasMessageContaining("scale");
        assertThatThrownBy(() -> b.scale(1.5)).hasMessageContaining("scale");
        assertThatThrownBy(() -> b.jpegQuality(1.1f)).hasMessageContaining("Quality");
        assertThatThrownBy(() -> b.maxPixels(0)).hasMessageContaining("maxPixels");
        assertThatThrownBy(() -> b.pixelBudget(0)).hasMessageContaining("pixelBudget");
        assertThatThrownBy(() -> b.retainedBytesPerThread(-1)).hasMessageContaining("retainedBytesPerThread");
        assertThatThrownBy(() -> b.maxCsvBytes(0)).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> b.maxRows(0)).hasMessageContaining("maxRows");
        assertThatThrownBy(() -> b.maxUrlsPerRow(0)).hasMessageContaining("maxUrlsPerRow");
        assertThatThrownBy(() -> b.progressBatchSize(0)).hasMessageContaining("progressBatchSize");
        assertThatThrownBy(() -> b.progressInterval(Duration.ZERO)).hasMessageContaining("progressInterval");
        assertThatThrownBy(() -> b.shutdownTimeout(Duration.ofSeconds(-1))).hasMessageContaining("shutdownTimeout");
    }

    @Test
    void toBuilderKeepsEveryValueAndLeavesTheOriginalAlone() {
        ProcessingSettings custom = ProcessingSettings.builder().workers(3).scale(0.25).maxRows(7)
                .neutralizeFormulas(true).retainedBytesPerThread(0).build();
        assertThat(custom.retainedBytesPerThread()).isZero();
        ProcessingSettings derived = custom.toBuilder().fetchConcurrency(2).build();
        assertThat(derived.toString()).isEqualTo(custom.toString().replace("fetchConcurrency=16", "fetchConcurrency=2"));
        assertThat(custom.fetchConcurrency()).isEqualTo(16);
    }

    @Test
    void webhookSecretsAreDecodedAndNeverPrinted() {
        WebhookSettings plain = WebhookSettings.builder().secret("s3cret-value").build();
        assertThat(plain.signingKey()).hasValueSatisfying(k -> assertThat(new String(k)).isEqualTo("s3cret-value"));
        WebhookSettings standard = WebhookSettings.builder().secret("whsec_AAEC").build();
        assertThat(standard.signingKey()).hasValueSatisfying(k -> assertThat(k).containsExactly(0, 1, 2));
        assertThat(plain.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> WebhookSettings.builder().secret("whsec_***")).hasMessageContaining("Base64");
        assertThatThrownBy(() -> WebhookSettings.builder().defaultUrl(URI.create("ftp://x/")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSettings.builder().initialBackoff(Duration.ofSeconds(10))
                .maxBackoff(Duration.ofSeconds(1)).build()).hasMessageContaining("maxBackoff");
    }

    @Test
    void submitOptionsHideTheWebhookUrlAndRefuseNonHttpOnes() {
        SubmitOptions options = SubmitOptions.webhook(URI.create("https://hooks.example/x?token=abc"));
        assertThat(options.toString()).doesNotContain("token");
        assertThatThrownBy(() -> SubmitOptions.webhook(URI.create("file:///etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scaleOutSettingsHaveTheirDocumentedDefaultsAndCheckTheRenewalAgainstTheLease() {
        ScaleOutSettings defaults = ScaleOutSettings.defaults();
        assertThat(defaults.chunkRows()).isEqualTo(50);
        assertThat(defaults.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.renewInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.maxClockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.maxChunks()).isEqualTo(2);
        assertThat(defaults.takesWork()).isTrue();
        assertThat(defaults.instanceId()).isNotEqualTo(ScaleOutSettings.defaults().instanceId());

        assertThatThrownBy(() -> ScaleOutSettings.builder().leaseDuration(Duration.ofSeconds(10))
                .renewInterval(Duration.ofSeconds(6)).maxClockSkew(Duration.ofSeconds(4)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("renewInterval");
        assertThatThrownBy(() -> ScaleOutSettings.builder().instanceId("no spaces"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instanceId");
        assertThatThrownBy(() -> ScaleOutSettings.builder().chunkRows(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkRows");
        assertThatThrownBy(() -> ScaleOutSettings.builder().maxClockSkew(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxClockSkew");
    }
}
