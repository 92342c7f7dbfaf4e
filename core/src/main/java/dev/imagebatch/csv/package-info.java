/**
 * Reading, validating and writing the CSV files of a batch.
 *
 * <h2>Input format</h2>
 * <ul>
 *   <li>UTF-8, with or without a byte order mark. Bytes that are not UTF-8 are reported with their
 *       line, never replaced silently. A file starting with a UTF-16 byte order mark is rejected
 *       with "UTF-16 is not supported; save the file as UTF-8".</li>
 *   <li>RFC 4180 quoting: quoted fields may hold commas, doubled quotes and line breaks. Lines may
 *       end with CR LF, LF or CR. Line numbers are physical lines, so a row after a quoted
 *       multi-line field gets the line it really starts on.</li>
 *   <li>The first non-blank row is the header. It must name the columns
 *       {@value dev.imagebatch.csv.InputCsv#SERIAL_NO}, {@value dev.imagebatch.csv.InputCsv#PRODUCT_NAME}
 *       and {@value dev.imagebatch.csv.InputCsv#INPUT_IMAGE_URLS}, in any order and any letter
 *       case, with surrounding spaces ignored. Other columns are allowed and carried to the output
 *       unchanged. Blank and duplicate names (compared the same way) are rejected, and so is an
 *       {@value dev.imagebatch.csv.OutputCsvWriter#OUTPUT_IMAGE_URLS} column, which the output adds.</li>
 *   <li>Blank rows (no cells, or only empty and whitespace cells, such as an empty line or
 *       {@code ,,}) are skipped anywhere in the file, including a trailing empty line; they are not
 *       counted and not written to the output.</li>
 *   <li>Every data row must have as many cells as the header.</li>
 *   <li>{@code serial_no}, {@code product_name} and extra columns may hold any text, even blank:
 *       they are data, passed through unchanged, and never used to build paths or names.</li>
 *   <li>{@code input_image_urls} holds one or more URLs separated by commas, each trimmed (see
 *       {@link dev.imagebatch.csv.InputCsv#splitUrls}). An empty entry is an error
 *       ({@code "a,,b"}: "URL 2 is empty"), except that a single trailing comma, with or without
 *       spaces after it, is ignored. Each URL must parse as a {@link java.net.URI}, be absolute
 *       {@code http} or {@code https} with a host and respect the length limit; credentials in a
 *       URL are hidden in messages.</li>
 *   <li>Sizes are bounded by {@link dev.imagebatch.csv.CsvLimits}.</li>
 * </ul>
 *
 * <h2>Output format</h2>
 * See {@link dev.imagebatch.csv.OutputCsvWriter}: UTF-8 without BOM, CR LF line endings, input
 * columns unchanged in input order plus {@code output_image_urls}.
 */
package dev.imagebatch.csv;
