package dev.imagebatch.examples.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.RequestState;
import org.junit.jupiter.api.Test;

class StatusViewsTest {

    @Test
    void mapsStatesToTheOriginalVocabulary() {
        assertThat(StatusViews.seedStatus(RequestState.PROCESSING)).isEqualTo("processing");
        assertThat(StatusViews.seedStatus(RequestState.COMPLETED)).isEqualTo("completed");
        assertThat(StatusViews.seedStatus(RequestState.COMPLETED_WITH_ERRORS)).isEqualTo("completed");
        assertThat(StatusViews.seedStatus(RequestState.FAILED)).isEqualTo("failed");
        assertThat(StatusViews.seedStatus(RequestState.CANCELLED)).isEqualTo("cancelled");
    }
}
