/**
 * Storage on a local filesystem: {@link dev.imagebatch.fs.FileResultPublisher} keeps published
 * objects as files under a root directory, {@link dev.imagebatch.fs.FileStatusStore} keeps request
 * records and image results under {@code <root>/status/}. Both write atomically and durably (temporary
 * file, fsync, atomic rename), so a process killed at any moment leaves a directory from which a new
 * service resumes with {@link dev.imagebatch.ImageProcessingService#resumeUnfinished()}, redoing only
 * the images whose results were not yet recorded.
 *
 * <pre>
 * &lt;root&gt;/input/&lt;id&gt;.csv                   persisted input CSV
 * &lt;root&gt;/images/&lt;id&gt;/&lt;row&gt;/&lt;index&gt;.jpg     processed images
 * &lt;root&gt;/csv/&lt;id&gt;.csv                     output CSV
 * &lt;root&gt;/status/&lt;id&gt;.json                 request record
 * &lt;root&gt;/status/&lt;id&gt;.results.jsonl        image results, one JSON line each
 * &lt;root&gt;/status/store.lock                 held by the one process writing the directory
 * </pre>
 *
 * <p>One process writes a directory at a time; others may read it with
 * {@link dev.imagebatch.fs.FileStatusStore#openReadOnly(java.nio.file.Path)}.
 */
package dev.imagebatch.fs;
