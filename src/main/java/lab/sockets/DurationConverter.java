package lab.sockets;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 500ms}, {@code 3s}, {@code 2m}, or a bare number of seconds ({@code 1.5}). */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration: write 500ms, 3s, 2m or a number of seconds");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis;
        switch (unit) {
            case "ms": millis = amount; break;
            case "m": millis = amount * 60_000; break;
            case "h": millis = amount * 3_600_000; break;
            default: millis = amount * 1000;
        }
        if (millis > Long.MAX_VALUE / 1_000_000 / 2) {
            throw new TypeConversionException("'" + value + "' is too long a duration");
        }
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    /** The way people write it back: {@code 500ms}, {@code 60s}, {@code 2m}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis >= 60_000) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
