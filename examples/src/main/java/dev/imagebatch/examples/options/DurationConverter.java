package dev.imagebatch.examples.options;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people type them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or the
 * ISO-8601 form {@code PT10S}. A bare number is seconds.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return positive(Duration.parse(text.trim()), text);
            }
            if (value.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2))), text);
            }
            char unit = value.charAt(value.length() - 1);
            String number = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
            long amount = Long.parseLong(number);
            return positive(switch (unit) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException("unknown unit");
                    }
                    yield Duration.ofSeconds(amount);
                }
            }, text);
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new TypeConversionException("'" + text + "' is not a duration (examples: 500ms, 10s, 2m, PT30S)");
        }
    }

    private static Duration positive(Duration duration, String text) {
        if (duration.isNegative() || duration.isZero()) {
            throw new TypeConversionException("'" + text + "' must be a positive duration");
        }
        return duration;
    }
}
