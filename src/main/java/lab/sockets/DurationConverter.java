package lab.sockets;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;

/** Durations as people type them: {@code 500ms}, {@code 3s}, {@code 2m}, or a bare number of seconds ({@code 1.5}). */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        int unitAt = text.length();
        while (unitAt > 0 && Character.isLetter(text.charAt(unitAt - 1))) {
            unitAt--;
        }
        String number = text.substring(0, unitAt).trim();
        long millisPerUnit;
        switch (text.substring(unitAt)) {
            case "ms": millisPerUnit = 1; break;
            case "": case "s": millisPerUnit = 1000; break;
            case "m": millisPerUnit = 60_000; break;
            case "h": millisPerUnit = 3_600_000; break;
            default: throw notADuration(value);
        }
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                throw notADuration(value);   // no signs, no exponents: "-1" or "1e3" are typos here
            }
        }
        double millis;
        try {
            millis = Double.parseDouble(number) * millisPerUnit;
        } catch (NumberFormatException e) {
            throw notADuration(value);
        }
        if (millis > Long.MAX_VALUE / 1_000_000 / 2) {
            throw new TypeConversionException("'" + value + "' is too long a duration");
        }
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    private static TypeConversionException notADuration(String value) {
        return new TypeConversionException("'" + value + "' is not a duration: write 500ms, 3s, 2m or a number of seconds");
    }

    /**
     * The way people write it back, as the options take it: {@code 500ms}, {@code 60s}, {@code 2m}. The one
     * formatter of durations for the whole tool, so a value reads the same in the help, a log line and a summary.
     */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis >= 60_000) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** A measured time for a {@code --json} field, in milliseconds with three decimals: {@code 8.104}. */
    public static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    /** A measured time for a {@code --json} field, in seconds with three decimals: {@code 10.002}. */
    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    /** A duration within bounds: longer than 0 (unless {@code zeroAllowed}), and at most {@code max} if given. */
    record Bounded(boolean zeroAllowed, Duration max) implements RangeConverter<Duration> {
        @Override
        public Duration read(String value) {
            return parse(value);
        }

        @Override
        public String outOfRange(Duration d, String value) {
            if (!zeroAllowed && d.isZero()) {
                return "it must be longer than 0";
            }
            if (max != null && d.compareTo(max) > 0) {
                return format(d) + "; it must be at most " + format(max);
            }
            return null;
        }
    }
}
