/**
 * Fetching images over HTTP from URLs supplied by untrusted users.
 *
 * <ul>
 *   <li>{@link dev.imagebatch.http.OkHttpImageFetcher}: the default
 *       {@link dev.imagebatch.spi.ImageFetcher}, with byte limits, timeouts, redirects it follows
 *       itself and bounded retries.</li>
 *   <li>{@link dev.imagebatch.http.AddressPolicy} and {@link dev.imagebatch.http.Cidr}: which
 *       addresses may be contacted (public unicast only by default).</li>
 *   <li>{@link dev.imagebatch.http.GuardedClient}: the one factory for OkHttp clients that enforce
 *       an address policy, used for image downloads and webhooks alike.</li>
 * </ul>
 */
package dev.imagebatch.http;
