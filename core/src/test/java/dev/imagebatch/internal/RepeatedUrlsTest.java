package dev.imagebatch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.spi.ObjectContent;
import dev.imagebatch.spi.ObjectKeys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RepeatedUrlsTest {

    @Test
    void findsExactlyTheUrlsThatOccurMoreThanOnceAnywhereInTheInput() throws Exception {
        InMemoryResultPublisher publisher = new InMemoryResultPublisher();
        String csv = "serial_no,product_name,input_image_urls\r\n"
                + "1,a,\"https://x.example/1.jpg,https://x.example/2.jpg\"\r\n"
                + "2,b,https://x.example/3.jpg\r\n"
                + "3,c,\"https://x.example/2.jpg,https://x.example/4.jpg,https://x.example/2.jpg\"\r\n"
                + "4,d,https://x.example/4.jpg\r\n";
        publisher.publish(ObjectKeys.inputCsv("r1"), ObjectContent.ofBytes(csv.getBytes(StandardCharsets.UTF_8), "text/csv"));

        RepeatedUrls repeated = RepeatedUrls.of(publisher, "r1");

        assertThat(repeated.size()).isEqualTo(2);
        assertThat(repeated.contains("https://x.example/2.jpg")).isTrue();
        assertThat(repeated.contains("https://x.example/4.jpg")).isTrue();
        assertThat(repeated.contains("https://x.example/1.jpg")).isFalse();
        assertThat(repeated.contains("https://x.example/3.jpg")).isFalse();
    }

    @Test
    void eachRepeatedHashIsKeptOnceHoweverOftenItOccurs() {
        long[] hashes = {5, 1, 5, 3, 5, 1, 9};
        assertThat(RepeatedUrls.of(hashes, hashes.length).size()).isEqualTo(2);
        assertThat(RepeatedUrls.of(new long[] {1, 2, 3}, 3).size()).isZero();
        assertThat(RepeatedUrls.of(new long[0], 0).size()).isZero();
    }

    @Test
    void urlsDifferingInOneCharacterHashApart() {
        assertThat(RepeatedUrls.hash("https://x.example/a.jpg")).isNotEqualTo(RepeatedUrls.hash("https://x.example/b.jpg"));
        assertThat(RepeatedUrls.hash("https://x.example/a.jpg")).isEqualTo(RepeatedUrls.hash("https://x.example/a.jpg"));
    }
}
