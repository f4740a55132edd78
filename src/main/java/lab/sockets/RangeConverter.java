package lab.sockets;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How every option with a range reads its value: first the text as a number (or a duration), then the
 * range, each with its own message, so a bad value is a usage error that says what was wrong before
 * anything runs. An implementation says how its text is read and what is in range; the messages follow
 * picocli's {@code Invalid value for option '--port': }.
 */
public interface RangeConverter<T> extends ITypeConverter<T> {
    @Override
    default T convert(String value) {
        T read = read(value);
        String outOfRange = outOfRange(read, value);
        if (outOfRange != null) {
            throw new TypeConversionException(outOfRange);
        }
        return read;
    }

    /** {@code value} as a {@code T}, or a {@link TypeConversionException} that says what it is not. */
    T read(String value);

    /** Why {@code read} (from the text {@code value}) is out of range, or {@code null} when it is in range. */
    String outOfRange(T read, String value);

    /** {@code value} as a whole number, or a usage error: {@code 'abc' is not {what}}. */
    static int wholeNumber(String value, String what) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not " + what);
        }
    }

    /** {@code value} as a decimal number, or a usage error: {@code 'abc' is not {what}}. */
    static double decimal(String value, String what) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not " + what);
        }
    }
}
