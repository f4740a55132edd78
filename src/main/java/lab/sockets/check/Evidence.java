package lab.sockets.check;

import lab.sockets.Protocol;

/**
 * A failure explained, one labelled line each, in the order a TA reads them:
 * <pre>
 *   expected: b"What's your student ID?\n" (24 bytes), before anything is sent
 *   came:     b"What's your student ID?" (23 bytes) after 3 ms, then nothing for 500 ms
 *   hint:     your prompt has no \n ...
 * </pre>
 * Bytes from the program are always shown escaped, as Python writes them ({@link Protocol#pythonBytes}).
 */
final class Evidence {
    /** The most bytes of one message shown; the count says how many there were. */
    private static final int SHOWN_BYTES = 120;

    private final StringBuilder text = new StringBuilder();

    static Evidence expected(String what) {
        return new Evidence().line("expected", what);
    }

    Evidence came(String what) {
        return line("came", what);
    }

    Evidence hint(String what) {
        return line("hint", what);
    }

    Evidence line(String label, String value) {
        if (text.length() > 0) {
            text.append('\n');
        }
        text.append(label).append(':').append(" ".repeat(Math.max(1, 9 - label.length()))).append(value);
        return this;
    }

    Finding failed() {
        return Finding.fail(text.toString());
    }

    /** A failure that ends the case here. */
    Finding.Stop stop() {
        return new Finding.Stop(failed());
    }

    /** {@code b'data received' (13 bytes)}. */
    static String bytes(byte[] data) {
        return Protocol.pythonBytes(data, 0, data.length, SHOWN_BYTES) + " (" + Protocol.bytesCount(data.length) + ")";
    }
}
