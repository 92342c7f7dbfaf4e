/**
 * The image codec: turns the bytes of a downloaded image into a smaller baseline JPEG.
 *
 * <p>{@link dev.imagebatch.image.ImageCodec} is the entry point; it is configured by
 * {@link dev.imagebatch.image.ImageSettings} and shares a {@link dev.imagebatch.image.PixelBudget}
 * with the other codecs of an application, and returns a
 * {@link dev.imagebatch.image.ProcessedImage}. Formats are recognised from the bytes only
 * ({@link dev.imagebatch.image.ImageFormat}). Every failure is reported as a
 * {@link dev.imagebatch.spi.ImageFailureException} carrying a {@link dev.imagebatch.ErrorCode}.
 *
 * <p>The package-private classes are the pipeline's stages, one job each: sniffing, reading
 * (ImageIO with the TwelveMonkeys plugins), EXIF orientation, colour conversion, compositing onto
 * white, area-filter reduction and JPEG encoding, plus a half-size JPEG decoder for the common
 * JPEGs ({@code JpegHalfDecoder}) that falls back to ImageIO for the rest.
 */
package dev.imagebatch.image;
