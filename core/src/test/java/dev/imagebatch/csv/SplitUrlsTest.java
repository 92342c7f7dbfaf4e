package dev.imagebatch.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SplitUrlsTest {

    @Test
    void splitsOnCommasAndTrims() {
        assertThat(InputCsv.splitUrls("a,b")).containsExactly("a", "b");
        assertThat(InputCsv.splitUrls(" a ,\tb\n, c")).containsExactly("a", "b", "c");
        assertThat(InputCsv.splitUrls("https://e.com/x.jpg")).containsExactly("https://e.com/x.jpg");
    }

    @Test
    void keepsEmptyEntriesSoThatTheyCanBeReported() {
        assertThat(InputCsv.splitUrls("a,,b")).containsExactly("a", "", "b");
        assertThat(InputCsv.splitUrls(",a")).containsExactly("", "a");
        assertThat(InputCsv.splitUrls(" , ")).containsExactly("");
    }

    @Test
    void ignoresExactlyOneTrailingComma() {
        assertThat(InputCsv.splitUrls("a,")).containsExactly("a");
        assertThat(InputCsv.splitUrls("a, b,  ")).containsExactly("a", "b");
        assertThat(InputCsv.splitUrls("a,,")).containsExactly("a", "");
    }

    @Test
    void blankCellHasNoUrls() {
        assertThat(InputCsv.splitUrls("")).isEmpty();
        assertThat(InputCsv.splitUrls("  \t")).isEmpty();
    }

    @Test
    void resultIsUnmodifiable() {
        assertThatThrownBy(() -> InputCsv.splitUrls("a").add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> InputCsv.splitUrls(null)).isInstanceOf(NullPointerException.class);
    }
}
