package lab.sockets;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Where a TCP ID ends, for one conversation. Feed it the bytes as they arrive, in whatever pieces TCP
 * delivers them; it answers {@code true} once the ID is complete:
 * <ul>
 *   <li>at the first {@code \n} (what {@code nc} and {@code tcp-client} send);</li>
 *   <li>at end of stream (the slides' Python client sends its ID with no newline and closes);</li>
 *   <li>at {@value Protocol#MAX_ID_BYTES} bytes (the slides' {@code recv(1000)});</li>
 *   <li>after {@link Protocol#QUIET_PAUSE} of silence, for a program that sends its ID in one piece with no
 *       newline and waits: the caller's clock decides that and calls {@link #endOnQuietPause()}.</li>
 * </ul>
 * A person typing in a character-mode client (Windows' telnet, PuTTY, {@code telnet} after
 * {@code mode character}) sends one key per segment and may pause for seconds between keys; so when the
 * first piece is one or two bytes, or the client speaks Telnet, the ID is being typed and no pause ends it:
 * only the Enter key, the end of stream, the size limit, or the server's idle timeout.
 * <p>
 * Telnet clients also send commands (RFC 854: {@code IAC}, byte 255, then a command; RFC 855: option
 * negotiation such as {@code IAC DO ECHO}), and begin with them. From a client whose first byte is
 * {@code IAC}, commands are taken out here and never reach the ID (from any other client, byte 255 is just
 * a byte that is not UTF-8, and is shown escaped). Every option is refused ({@link #takeTelnetReplies}),
 * which leaves the client in its defaults: it echoes what the student types. For
 * Telnet, the Enter key is {@code \r\n} or {@code \r\0}: either ends the ID.
 * <p>
 * One trailing {@code \r\n} or {@code \n} is not part of the ID. Bytes that come after the ID are counted
 * and the first {@value #AFTER_KEPT} kept, so the server can say what it ignored. Not thread-safe: one per
 * conversation.
 */
public final class IdReader {
    /** Why the ID ended. */
    public enum End {
        NEWLINE("ended by newline"),
        END_OF_STREAM("ended by end of stream"),
        SIZE_LIMIT("cut at " + Protocol.MAX_ID_BYTES + " bytes, the rest is discarded"),
        QUIET_PAUSE("ended by a " + Protocol.QUIET_PAUSE.toMillis() + " ms pause");

        private final String description;

        End(String description) {
            this.description = description;
        }

        /** For the log line: {@code ID B08902001 (ended by newline)}. */
        @Override
        public String toString() {
            return description;
        }
    }

    /** How many bytes sent after the ID are kept to be shown; the rest are only counted. */
    public static final int AFTER_KEPT = 60;
    /** At most this many bytes in the first piece mean a person is typing key by key. */
    private static final int KEYSTROKE_BYTES = 2;

    private static final int IAC = 255;
    private static final int SB = 250;
    private static final int SE = 240;
    private static final int WILL = 251;
    private static final int WONT = 252;
    private static final int DO = 253;
    private static final int DONT = 254;

    /** Where a Telnet command stands when a piece ends: commands may be split across segments too. */
    private enum Telnet { DATA, COMMAND, OPTION, SUBNEGOTIATION, SUBNEGOTIATION_IAC }

    private byte[] buffer;    // allocated at the first byte, so silent clients cost nothing; grows as needed
    private int length;
    private End end;
    private Telnet telnet = Telnet.DATA;
    private boolean anyByte;
    private boolean speaksTelnet;   // the first byte was IAC: a telnet client negotiating
    private int firstPiece = -1;    // ID bytes in the first piece that had any: -1 until one came
    private int verb;               // the Telnet command whose option byte comes next
    private BitSet[] refused;       // options already refused, by verb (WILL, WONT, DO, DONT); telnet clients only
    private ByteArrayOutputStream replies;
    private boolean swallowAfterCr; // Telnet's Enter is \r\n or \r\0: the byte after \r is not "after the ID"
    private long after;             // bytes that came after the ID ended
    private byte[] afterKept;

    /** Takes {@code count} bytes from {@code source}; returns whether the ID is now complete. */
    public boolean feed(byte[] source, int offset, int count) {
        int idBytes = 0;
        for (int i = offset; i < offset + count; i++) {
            int b = source[i] & 0xff;
            if (!anyByte) {
                anyByte = true;
                speaksTelnet = b == IAC;   // telnet clients negotiate first; elsewhere 255 is just a byte
            }
            if (speaksTelnet && (telnet != Telnet.DATA || b == IAC)) {
                if (command(b)) {
                    continue;
                }
                // IAC IAC: a data byte 255, taken as one below
            }
            if (end != null) {
                afterId(b);
                continue;
            }
            idBytes++;
            if (b == Protocol.NEWLINE || (speaksTelnet && b == '\r')) {
                swallowAfterCr = b == '\r';
                end = End.NEWLINE;
                continue;
            }
            if (buffer == null || length == buffer.length) {
                grow();
            }
            buffer[length++] = (byte) b;
            if (length == Protocol.MAX_ID_BYTES) {
                end = End.SIZE_LIMIT;   // where the slides' recv(1000) stops
            }
        }
        if (firstPiece < 0 && idBytes > 0) {
            firstPiece = idBytes;
        }
        return end != null;
    }

    /**
     * One byte of a Telnet command, or the IAC that starts one; returns whether it was consumed as part of a
     * command ({@code false} for the second IAC of {@code IAC IAC}, which stands for a data byte 255).
     */
    private boolean command(int b) {
        switch (telnet) {
            case DATA:
                telnet = Telnet.COMMAND;
                return true;
            case COMMAND:
                telnet = b == SB ? Telnet.SUBNEGOTIATION : b >= WILL && b <= DONT ? Telnet.OPTION : Telnet.DATA;
                verb = b;
                return b != IAC;
            case OPTION:
                telnet = Telnet.DATA;   // the option's number: IAC DO ECHO is 255 253 1
                refuse(b);
                return true;
            case SUBNEGOTIATION:
                telnet = b == IAC ? Telnet.SUBNEGOTIATION_IAC : Telnet.SUBNEGOTIATION;
                return true;
            default:   // SUBNEGOTIATION_IAC
                telnet = b == SE ? Telnet.DATA : Telnet.SUBNEGOTIATION;
                return true;
        }
    }

    /**
     * RFC 855: we take up no option. {@code DO x} gets {@code WONT x}, {@code WILL x} gets {@code DONT x},
     * each once; so the client keeps its defaults, and echoes what the student types (Debian's telnet in
     * character mode stops echoing while its {@code DO ECHO} is unanswered).
     */
    private void refuse(int option) {
        int answer = verb == DO ? WONT : verb == WILL ? DONT : 0;
        if (refused == null) {
            refused = new BitSet[] {new BitSet(), new BitSet(), new BitSet(), new BitSet()};
        }
        if (answer == 0 || refused[verb - WILL].get(option)) {
            return;   // WONT and DONT need no answer; a request is answered once, so no two ends can loop
        }
        refused[verb - WILL].set(option);
        if (replies == null) {
            replies = new ByteArrayOutputStream();
        }
        replies.write(IAC);
        replies.write(answer);
        replies.write(option);
    }

    /** The Telnet answers owed to the client since the last call, to send before anything else; null if none. */
    public byte[] takeTelnetReplies() {
        if (replies == null || replies.size() == 0) {
            return null;
        }
        byte[] out = replies.toByteArray();
        replies.reset();
        return out;
    }

    private void afterId(int b) {
        if (swallowAfterCr) {
            swallowAfterCr = false;
            if (b == '\n' || b == 0) {
                return;
            }
        }
        if (after < AFTER_KEPT) {
            if (afterKept == null) {
                afterKept = new byte[AFTER_KEPT];
            }
            afterKept[(int) after] = (byte) b;
        }
        after++;
    }

    /** Room for more: most IDs are ten bytes, so start small and double up to the limit. */
    private void grow() {
        int size = buffer == null ? 16 : Math.min(Protocol.MAX_ID_BYTES, buffer.length * 2);
        buffer = buffer == null ? new byte[size] : Arrays.copyOf(buffer, size);
    }

    /** The peer closed its side: whatever came is the ID (possibly empty). */
    public void endOfStream() {
        if (end == null) {
            end = End.END_OF_STREAM;
        }
    }

    /** The caller's clock saw {@link Protocol#QUIET_PAUSE} pass since the last byte. */
    public void endOnQuietPause() {
        if (end == null && waitsForPause()) {
            end = End.QUIET_PAUSE;
        }
    }

    /**
     * Whether a quiet pause would end the ID now: bytes came, in a first piece longer than a keystroke, from
     * a client that does not speak Telnet. The caller starts its clock only then.
     */
    public boolean waitsForPause() {
        return length > 0 && !typing();
    }

    /** Whether a person is typing the ID key by key (see the class comment). */
    public boolean typing() {
        return speaksTelnet || (firstPiece > 0 && firstPiece <= KEYSTROKE_BYTES);
    }

    /** Whether the client sent Telnet commands: it is a telnet client, or PuTTY in Telnet mode. */
    public boolean speaksTelnet() {
        return speaksTelnet;
    }

    /** Whether any byte of the ID has come. */
    public boolean started() {
        return length > 0;
    }

    public boolean complete() {
        return end != null;
    }

    /** Why the ID ended, or {@code null} while it has not. */
    public End end() {
        return end;
    }

    /** Bytes received after the ID ended (after the newline, or beyond the size limit): not part of it. */
    public long discarded() {
        return after;
    }

    /** The first {@value #AFTER_KEPT} bytes of those, to be shown escaped. */
    public byte[] discardedStart() {
        return afterKept == null ? new byte[0] : Arrays.copyOf(afterKept, (int) Math.min(after, AFTER_KEPT));
    }

    /** The ID as received, without its line ending: one {@code \r} before the {@code \n} is dropped too. */
    public byte[] id() {
        int n = length;
        if (end == End.NEWLINE && n > 0 && buffer[n - 1] == '\r') {
            n--;
        }
        return n == 0 ? new byte[0] : Arrays.copyOf(buffer, n);
    }
}
