package lab.sockets;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a terminal acts on or hides instead of showing: C0 and C1 controls, DEL, Unicode line breaks and
 * invisible format characters (U+202E right-to-left override, zero-width spaces). Nothing a client sends
 * may reach the TA's console or the roster as one of these; every test that checks it uses this one list.
 */
final class Terminal {
    private Terminal() {}

    static boolean actsOn(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || Character.getType(c) == Character.FORMAT;
    }

    /**
     * Fails, naming the character and showing its line escaped, if {@code text} (lines of output, or of a
     * file) holds a character a terminal acts on, other than the newlines that end its lines, or U+FFFD (an
     * undecodable byte that got through).
     */
    static void assertShowsOnly(String text, String where) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c != '\n' && (actsOn(c) || c == 0xfffd)) {
                int from = text.lastIndexOf('\n', i) + 1;
                int to = text.indexOf('\n', i);
                fail(String.format("raw U+%04X in %s, in the line:%n%s", c, where,
                        Protocol.escape(text.substring(from, to < 0 ? text.length() : to))));
            }
            i += Character.charCount(c);
        }
    }
}
