package dev.imagebatch.image;

import static dev.imagebatch.image.JpegHalfDecoderHostileInputTest.concat;
import static dev.imagebatch.image.JpegHalfDecoderHostileInputTest.indexOf;
import static dev.imagebatch.image.JpegHalfDecoderHostileInputTest.patch;
import static dev.imagebatch.image.JpegHalfDecoderHostileInputTest.withoutSegments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@link ImageCodec} uses the half-size decoder, and the JPEGs it leaves to the general path. */
class HalfSizeJpegPathTest {

    private final ImageCodec codec = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults());
    private final ImageCodec general = new ImageCodec(ImageSettings.defaults(), PixelBudget.defaults(), false);

    @Test
    void processUsesTheHalfSizeDecodeForOrdinaryJpegs() throws Exception {
        byte[] jpeg = Fixtures.jpeg(Fixtures.picture(203, 151), 0.85f);
        ProcessedImage out = codec.process(jpeg);
        RgbPixels half = JpegHalfDecoder.open(jpeg).decode(ImageSettings.DEFAULT_MAX_PIXELS);
        assertThat(out.jpeg()).isEqualTo(JpegEncoder.encode(half, 0.5f));
        assertThat(out.width()).isEqualTo(102);
        assertThat(out.height()).isEqualTo(76);
        assertThat(out.sourceWidth()).isEqualTo(203);
        assertThat(out.sourceHeight()).isEqualTo(151);
    }

    @ParameterizedTest(name = "scale {0}")
    @ValueSource(doubles = {0.5, 0.4, 0.3, 0.25, 0.1, 0.01})
    void followsTheSizeRuleAtAnyScaleUpToOneHalfAndMatchesTheGeneralPath(double scale) throws Exception {
        ImageSettings settings = ImageSettings.builder().scale(scale).build();
        ImageCodec scaled = new ImageCodec(settings, PixelBudget.defaults());
        ImageCodec scaledGeneral = new ImageCodec(settings, PixelBudget.defaults(), false);
        for (int[] size : new int[][] {{203, 151}, {64, 48}, {3, 5}, {1, 1}}) {
            byte[] jpeg = Fixtures.jpeg(Fixtures.picture(size[0], size[1]), 0.9f);
            ProcessedImage ours = scaled.process(jpeg);
            ProcessedImage theirs = scaledGeneral.process(jpeg);
            assertThat(ours.width()).isEqualTo(settings.scaledLength(size[0])).isEqualTo(theirs.width());
            assertThat(ours.height()).isEqualTo(settings.scaledLength(size[1])).isEqualTo(theirs.height());
            if (ours.width() >= 8 && ours.height() >= 8) {
                BufferedImage a = Fixtures.read(ours.jpeg());
                BufferedImage b = Fixtures.read(theirs.jpeg());
                assertThat(psnr(a, b)).as("%s at scale %s", Arrays.toString(size), scale).isGreaterThan(33);
            }
        }
    }

    @Test
    void scalesAboveOneHalfTakeTheGeneralPath() throws Exception {
        ImageSettings settings = ImageSettings.builder().scale(0.75).build();
        byte[] jpeg = Fixtures.jpeg(Fixtures.picture(64, 48), 0.9f);
        assertThat(new ImageCodec(settings, PixelBudget.defaults()).process(jpeg))
                .isEqualTo(new ImageCodec(settings, PixelBudget.defaults(), false).process(jpeg));
    }

    @Test
    void chargesTheBudgetForTheHalfSizeWorkOnly() throws Exception {
        byte[] jpeg = Fixtures.jpeg(Fixtures.picture(400, 300), 0.8f);
        long working = JpegHalfDecoder.open(jpeg).workingPixels();
        PixelBudget budget = PixelBudget.of(400 * 300);
        ImageCodec guarded = new ImageCodec(ImageSettings.defaults(), budget);
        // With all but the half-size path's share held elsewhere, a full decode would wait forever.
        try (PixelBudget.Permit held = budget.acquire(400 * 300 - working)) {
            ProcessedImage out = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> guarded.process(jpeg));
            assertThat(out.width()).isEqualTo(200);
            assertThat(held.pixels()).isPositive();
        }
        assertThat(budget.available()).isEqualTo(400 * 300);
    }

    @Test
    void releasesItsShareBeforeFallingBack() {
        byte[] jpeg = Fixtures.jpeg(Fixtures.picture(400, 300), 0.8f);
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
        PixelBudget budget = PixelBudget.of(400 * 300);
        ImageCodec guarded = new ImageCodec(ImageSettings.defaults(), budget);
        ProcessedImage out = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> guarded.process(truncated));
        assertThat(out).isEqualTo(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> general.process(truncated)));
        assertThat(budget.available()).isEqualTo(400 * 300);
    }

    @Test
    void leavesCmykJpegsToTheGeneralPath() throws Exception {
        byte[] cmyk = TestResources.bytes("image/fixtures/fig-cmyk_1200x812.jpg");
        assertThatThrownBy(() -> JpegHalfDecoder.open(cmyk)).isInstanceOf(JpegHalfDecoder.Declined.class)
                .hasMessageContaining("4 components");
        assertThat(codec.process(cmyk)).isEqualTo(general.process(cmyk));
    }

    @ParameterizedTest(name = "Adobe transform {0}")
    @ValueSource(ints = {0, 2})
    void leavesThreeComponentJpegsWithoutYcbcrTransformToTheGeneralPath(int transform) throws Exception {
        byte[] jpeg = withAdobe(Fixtures.jpeg(Fixtures.picture(48, 32), 0.9f), transform);
        assertThatThrownBy(() -> JpegHalfDecoder.open(jpeg)).isInstanceOf(JpegHalfDecoder.Declined.class)
                .hasMessageContaining("Adobe transform");
        assertThat(codec.process(jpeg)).isEqualTo(general.process(jpeg));
    }

    @Test
    void acceptsAnAdobeMarkerSayingYcbcr() throws Exception {
        byte[] plain = Fixtures.jpeg(Fixtures.picture(48, 32), 0.9f);
        RgbPixels expected = JpegHalfDecoder.open(plain).decode(ImageSettings.DEFAULT_MAX_PIXELS);
        RgbPixels withAdobe = JpegHalfDecoder.open(withAdobe(plain, 1)).decode(ImageSettings.DEFAULT_MAX_PIXELS);
        assertThat(withAdobe.rgb()).isEqualTo(expected.rgb());
    }

    @Test
    void leavesRgbStoredJpegsToTheGeneralPath() throws Exception {
        byte[] jpeg = withoutSegments(Fixtures.jpeg(Fixtures.picture(48, 32), 0.9f), 0xE0); // no JFIF
        int sof = indexOf(jpeg, 0xFF, 0xC0, 0);
        int sos = indexOf(jpeg, 0xFF, 0xDA, 0);
        byte[] rgb = patch(patch(patch(jpeg, sof + 10, 'R'), sof + 13, 'G'), sof + 16, 'B');
        rgb = patch(patch(patch(rgb, sos + 5, 'R'), sos + 7, 'G'), sos + 9, 'B');
        byte[] decided = rgb;
        assertThatThrownBy(() -> JpegHalfDecoder.open(decided)).isInstanceOf(JpegHalfDecoder.Declined.class)
                .hasMessageContaining("RGB");
        // Without the JFIF marker but with other ids the samples are YCbCr, as libjpeg assumes.
        JpegHalfDecoder.open(jpeg).decode(ImageSettings.DEFAULT_MAX_PIXELS);
    }

    @Test
    void decodesJpegsWithAnSrgbProfileAndLeavesOtherProfilesToTheGeneralPath() throws Exception {
        byte[] plain = Fixtures.jpeg(Fixtures.solid(32, 32, 0x323232), 1f);
        RgbPixels expected = JpegHalfDecoder.open(plain).decode(ImageSettings.DEFAULT_MAX_PIXELS);

        byte[] srgb = withIcc(plain, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData(), 1);
        assertThat(JpegHalfDecoder.open(srgb).decode(ImageSettings.DEFAULT_MAX_PIXELS).rgb()).isEqualTo(expected.rgb());
        byte[] srgbInThreeChunks = withIcc(plain, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData(), 3);
        assertThat(JpegHalfDecoder.open(srgbInThreeChunks).decode(ImageSettings.DEFAULT_MAX_PIXELS).rgb())
                .isEqualTo(expected.rgb());

        byte[] linear = withIcc(plain, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData(), 1);
        assertThatThrownBy(() -> JpegHalfDecoder.open(linear)).isInstanceOf(JpegHalfDecoder.Declined.class)
                .hasMessageContaining("ICC");
        // The general path applies the profile: linear 50 is about sRGB 124.
        int grey = Fixtures.read(codec.process(linear).jpeg()).getRGB(8, 8) & 0xFF;
        assertThat(grey).isBetween(116, 132);

        byte[] chunkMissing = Arrays.copyOf(srgbInThreeChunks, srgbInThreeChunks.length);
        int second = indexOf(chunkMissing, 0xFF, 0xE2, indexOf(chunkMissing, 0xFF, 0xE2, 0) + 2);
        chunkMissing[second + 1] = (byte) 0xE3; // no longer an APP2: chunk 2 of 3 is missing
        assertThatThrownBy(() -> JpegHalfDecoder.open(chunkMissing)).isInstanceOf(JpegHalfDecoder.Declined.class)
                .hasMessageContaining("ICC");
    }

    @Test
    void recognisesOnlySrgbLikeProfiles() {
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        assertThat(IccProfiles.isSrgbLike(srgb, 3)).isTrue();
        assertThat(IccProfiles.isSrgbLike(srgb, 1)).as("an RGB profile for a grey image").isFalse();
        assertThat(IccProfiles.isSrgbLike(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData(), 3)).isFalse();
        assertThat(IccProfiles.isSrgbLike(ICC_Profile.getInstance(ColorSpace.CS_CIEXYZ).getData(), 3)).isFalse();
        assertThat(IccProfiles.isSrgbLike(ICC_Profile.getInstance(ColorSpace.CS_PYCC).getData(), 3)).isFalse();
        assertThat(IccProfiles.isSrgbLike(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData(), 1)).isFalse();
        assertThat(IccProfiles.isSrgbLike(Arrays.copyOf(srgb, 300), 3)).as("truncated").isFalse();
        assertThat(IccProfiles.isSrgbLike(new byte[0], 3)).isFalse();
        byte[] otherPrimaries = srgb.clone();
        int rXyz = tagOffset(otherPrimaries, "rXYZ");
        otherPrimaries[rXyz + 9] += 8; // red X + 0.03
        assertThat(IccProfiles.isSrgbLike(otherPrimaries, 3)).isFalse();
    }

    private static int tagOffset(byte[] profile, String signature) {
        int count = (profile[128] & 0xFF) << 24 | (profile[129] & 0xFF) << 16 | (profile[130] & 0xFF) << 8 | (profile[131] & 0xFF);
        for (int i = 0; i < count; i++) {
            int entry = 132 + 12 * i;
            if (new String(profile, entry, 4, StandardCharsets.ISO_8859_1).equals(signature)) {
                return (profile[entry + 4] & 0xFF) << 24 | (profile[entry + 5] & 0xFF) << 16
                        | (profile[entry + 6] & 0xFF) << 8 | (profile[entry + 7] & 0xFF);
            }
        }
        throw new AssertionError("no tag " + signature);
    }

    /** The JPEG with an Adobe APP14 segment of the given transform right after SOI. */
    static byte[] withAdobe(byte[] jpeg, int transform) {
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        return concat(Arrays.copyOf(jpeg, 2), app14, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /** The JPEG with {@code profile} in {@code chunks} APP2 ICC_PROFILE segments right after SOI. */
    static byte[] withIcc(byte[] jpeg, byte[] profile, int chunks) {
        byte[] id = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int per = (profile.length + chunks - 1) / chunks;
        for (int i = 0; i < chunks; i++) {
            int from = i * per;
            int to = Math.min(profile.length, from + per);
            int length = 2 + id.length + 2 + (to - from);
            out.write(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (length >> 8), (byte) length}, 0, 4);
            out.write(id, 0, id.length);
            out.write(new byte[] {(byte) (i + 1), (byte) chunks}, 0, 2);
            out.write(profile, from, to - from);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static double psnr(BufferedImage a, BufferedImage b) {
        double sse = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int[] p = Fixtures.rgb(a.getRGB(x, y));
                int[] q = Fixtures.rgb(b.getRGB(x, y));
                for (int c = 0; c < 3; c++) {
                    sse += (p[c] - q[c]) * (p[c] - q[c]);
                }
            }
        }
        double mse = sse / (3.0 * a.getWidth() * a.getHeight());
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255 * 255 / mse);
    }
}
