/**
 * A runnable jar that shows how a host wires imagebatch: {@link dev.imagebatch.examples.Main} is a
 * command line with {@code demo}, {@code process}, {@code status}, {@code resume} and {@code serve}.
 *
 * <ul>
 *   <li>{@code command}: one class per command;</li>
 *   <li>{@code options}: flags shared by commands (storage, fetch policy and limits, engine);</li>
 *   <li>{@code wiring}: the service wired to filesystem or S3 storage, closed in order;</li>
 *   <li>{@code progress}: the terminal progress bar and the webhook wait, as listeners;</li>
 *   <li>{@code json}: the JSON shapes of the HTTP API and of {@code status};</li>
 *   <li>{@code server}: the HTTP API and upload page on Javalin;</li>
 *   <li>{@code demo}: generated sample images and their loopback server.</li>
 * </ul>
 */
package dev.imagebatch.examples;
