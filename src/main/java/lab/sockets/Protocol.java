package lab.sockets;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The wire contract of the lab, in one place: what the slides' programs send, and the pure functions
 * (framing, upper-casing, escaping) that everything else uses. Nothing here touches a socket, so all of
 * it is tested without one.
 *
 * <pre>
 *   TCP  server → client   What's your student ID?\n          (the prompt, 24 bytes)
 *        client → server   b08902001[\n]                       (the ID; see IdReader for where it ends)
 *        server → client   ID received: B08902001\n            (the acknowledgement), then close
 *   UDP  client → server   any datagram, up to 65,507 bytes
 *        server → client   data received                       (13 bytes, no newline)
 * </pre>
 */
public final class Protocol {
    private Protocol() {}

    /** The slides' {@code PORT = 65432} for the TCP example. */
    public static final int DEFAULT_TCP_PORT = 65432;
    /** The slides' {@code UDP_PORT = 5005}. */
    public static final int DEFAULT_UDP_PORT = 5005;

    /** {@code client.send(b"What's your student ID?\n")} */
    public static final byte[] PROMPT = bytes("What's your student ID?\n");
    /** What the server sends back once it has the ID: this, the upper-cased ID, and a newline. */
    public static final byte[] ACK_PREFIX = bytes("ID received: ");
    /**
     * Instead of {@code ACK_PREFIX}, for an ID the server did not record (empty, or not matching
     * {@code --id-pattern}): this, the reason, and a newline. Never {@code ID received:} for an ID not kept.
     */
    public static final byte[] NOT_RECORDED_PREFIX = bytes("ID not recorded: ");
    /** Instead of the prompt, to a client beyond the server's limit, which then closes. */
    public static final byte[] BUSY = bytes("Server busy: too many clients, try again in a moment.\n");
    /** {@code sock.sendto(b'data received', addr)} */
    public static final byte[] UDP_REPLY = bytes("data received");

    /** {@code client.recv(1000)}: the longest ID the server keeps; the rest is discarded. */
    public static final int MAX_ID_BYTES = 1000;
    /**
     * Once bytes came in one piece, this much silence ends the ID (a client that sends no newline and
     * waits); never while someone is typing key by key (see {@link IdReader}).
     */
    public static final Duration QUIET_PAUSE = Duration.ofMillis(500);
    /** The largest UDP payload over IPv4: 65,535 − 8 (UDP header) − 20 (IP header). */
    public static final int MAX_DATAGRAM_BYTES = 65_507;

    public static final byte NEWLINE = '\n';
    private static final byte CARRIAGE_RETURN = '\r';

    /** The acknowledgement line for an (already upper-cased) ID: {@code ID received: <ID>\n}. */
    public static byte[] acknowledgement(byte[] id) {
        byte[] line = new byte[ACK_PREFIX.length + id.length + 1];
        System.arraycopy(ACK_PREFIX, 0, line, 0, ACK_PREFIX.length);
        System.arraycopy(id, 0, line, ACK_PREFIX.length, id.length);
        line[line.length - 1] = NEWLINE;
        return line;
    }

    /**
     * The slides' {@code bytes.upper()}: ASCII {@code a-z} become {@code A-Z}, every other byte stays as it is.
     * Working on bytes, not on a decoded String, means the JVM's locale cannot matter (in Turkish,
     * {@code "i".toUpperCase()} is {@code "İ"}) and a multi-byte UTF-8 character is never altered.
     */
    public static byte[] upperCaseAscii(byte[] data) {
        byte[] upper = data.clone();
        for (int i = 0; i < upper.length; i++) {
            if (upper[i] >= 'a' && upper[i] <= 'z') {
                upper[i] -= 'a' - 'A';
            }
        }
        return upper;
    }

    /** Bytes of an ASCII/UTF-8 literal. */
    public static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    /**
     * Decodes UTF-8 for a console or a file, so that what a client sent can never act on the terminal:
     * bytes that are not valid UTF-8 become {@code \xff}; control characters become {@code \x1b}, {@code \x00}
     * ...; C1 controls, line separators and invisible formatting characters (such as the right-to-left
     * override) become {@code \u202e}; a backslash becomes {@code \\}, so the escaping can be read back
     * unambiguously. Everything else (letters of any script, punctuation, emoji) is shown as it is.
     */
    public static String escape(byte[] data, int offset, int length) {
        if (isPlainAscii(data, offset, length)) {
            return new String(data, offset, length, StandardCharsets.US_ASCII);   // the usual case: B08902001
        }
        StringBuilder out = new StringBuilder(length + 16);
        ByteBuffer in = ByteBuffer.wrap(data, offset, length);
        CharBuffer chars = CharBuffer.allocate(Math.max(16, length));
        CharsetDecoder decoder = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        while (true) {
            CoderResult result = decoder.decode(in, chars, true);
            chars.flip();
            appendEscaped(chars, out);
            chars.clear();
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    appendHex(out, "\\x", in.get() & 0xff, 2);
                }
            } else if (result.isUnderflow()) {
                return out.toString();
            }
        }
    }

    private static boolean isPlainAscii(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (data[i] < 0x20 || data[i] == 0x7f || data[i] == '\\') {   // bytes >= 0x80 are negative
                return false;
            }
        }
        return true;
    }

    public static String escape(byte[] data) {
        return escape(data, 0, data.length);
    }

    /** {@link #escape(byte[])} for text that is already a String (a host name, a message typed by the user). */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        appendEscaped(text, out);
        return out.toString();
    }

    /**
     * Bytes as Python shows them, {@code b'b08902001\n'}, for narrating {@code recv()} and {@code send()}
     * next to the slides; at most {@code max} bytes are shown, then {@code ...}.
     */
    public static String pythonBytes(byte[] data, int offset, int length, int max) {
        int shown = Math.min(length, max);
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (int i = offset; i < offset + shown; i++) {
            hasSingle |= data[i] == '\'';
            hasDouble |= data[i] == '"';
        }
        char quote = hasSingle && !hasDouble ? '"' : '\'';   // Python's own choice of quotes
        StringBuilder out = new StringBuilder("b").append(quote);
        for (int i = offset; i < offset + shown; i++) {
            int b = data[i] & 0xff;
            if (b == '\n') {
                out.append("\\n");
            } else if (b == '\r') {
                out.append("\\r");
            } else if (b == '\t') {
                out.append("\\t");
            } else if (b == quote || b == '\\') {
                out.append('\\').append((char) b);
            } else if (b < 0x20 || b >= 0x7f) {
                appendHex(out, "\\x", b, 2);
            } else {
                out.append((char) b);
            }
        }
        return out.append(quote).append(length > max ? "..." : "").toString();
    }

    /** {@code 1 byte}, {@code 24 bytes}. */
    public static String bytesCount(long n) {
        return n + (n == 1 ? " byte" : " bytes");
    }

    private static void appendEscaped(CharSequence chars, StringBuilder out) {
        for (int i = 0; i < chars.length(); ) {
            int c = Character.codePointAt(chars, i);
            i += Character.charCount(c);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c == 0x7f) {
                appendHex(out, "\\x", c, 2);
            } else if (c < 0x80) {
                out.append((char) c);
            } else if (isInvisibleOrControl(c)) {
                appendHex(out, c > 0xffff ? "\\U" : "\\u", c, c > 0xffff ? 8 : 4);   // as Python writes them
            } else {
                out.appendCodePoint(c);
            }
        }
    }

    private static boolean isInvisibleOrControl(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL            // C1: U+0080-U+009F, e.g. U+009B is a terminal CSI
                || type == Character.FORMAT         // U+202E right-to-left override, zero-width joiners
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED
                || type == Character.SURROGATE      // a lone half of a pair (never out of a valid decode)
                || type == Character.PRIVATE_USE;
    }

    private static void appendHex(StringBuilder out, String prefix, int value, int digits) {
        out.append(prefix);
        String hex = Integer.toHexString(value);
        out.append("0".repeat(digits - hex.length())).append(hex.toLowerCase(Locale.ROOT));
    }
}
