package lab.sockets.tcp;

import lab.sockets.ClassList;
import lab.sockets.Console;
import lab.sockets.IdReader;
import lab.sockets.Protocol;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The front desk of the TCP server: what to do with whatever a client sent as its ID, and the tally the
 * TA reads when the server stops. Both servers ({@link TcpServer}, {@link IterativeServer}) ask it, so a
 * student is treated the same by either. It decides, logs the event, and says what to send back:
 * <pre>
 *   B08902001           recorded; "ID received: B08902001\n" once the roster has it (a duplicate is marked)
 *   (empty line)        not recorded; "ID not recorded: empty ID ...\n"
 *   X12 with --id-pattern 'B\d{8}'   not recorded; "ID not recorded: ...\n"
 *   GET / HTTP/1.1      a browser: a short HTTP page saying how to connect; not recorded
 *   \x16\x03...         a TLS ClientHello (https://): closed at once; not recorded
 * </pre>
 * Thread-safe: every event loop shares one.
 */
public final class Reception {
    /** Beyond this many different IDs, duplicates are no longer looked for (a long load run must not fill memory). */
    static final int MAX_REMEMBERED = 100_000;
    /** Every duplicate up to its tenth time gets a console line; then every hundredth. */
    static final int SHOWN_DUPLICATES = 10;
    private static final byte[][] HTTP_METHODS = {Protocol.bytes("GET "), Protocol.bytes("HEAD "), Protocol.bytes("POST "),
        Protocol.bytes("PUT "), Protocol.bytes("DELETE "), Protocol.bytes("OPTIONS "), Protocol.bytes("PATCH "),
        Protocol.bytes("CONNECT ")};
    private static final Pattern REQUEST_LINE = Pattern.compile(
            "(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE|PRI) \\S+ HTTP/\\d(\\.\\d)?");

    /** What to do after an ID ended. */
    public enum Kind { RECORD, NOT_RECORDED, WEB, LEFT }

    /**
     * @param id        the upper-cased ID
     * @param reply     what to send (for RECORD, only once the roster has the ID), or null
     * @param duplicate whether this ID was recorded before in this run
     */
    public record Answer(Kind kind, byte[] id, byte[] reply, boolean duplicate) {}

    /** What a student is told when the roster could not keep the ID (a full disk): not acknowledged, and why. */
    static final byte[] ROSTER_FAILED = notRecordedLine("the server could not write its roster; tell the TA");
    /** The console line for it. */
    static final String ROSTER_FAILED_TEXT = "not acknowledged: the ID could not be written to the roster; the client was told so";

    private final Console console;
    private final Pattern idPattern;
    private final ClassList expected;
    private final int livePagePort;
    /** How many times each ID was recorded: a counter each, so a load run's thousands of repeats allocate nothing. */
    private final Map<String, int[]> seen = new HashMap<>();
    private int connected;
    private int recorded;
    private int duplicates;
    private int refused;
    private int empty;
    private int web;
    private int timeouts;
    private int busy;

    /** {@code settings}: the IDs to accept, the class list, the live page; any of them may be absent. */
    public Reception(Console console, TcpServer.Settings settings) {
        this.console = console;
        this.idPattern = settings.idPattern();
        this.expected = settings.expected();
        this.livePagePort = settings.livePagePort();
    }

    /** A server with no pattern and no class list, as tests and the demo run it. */
    public static Reception plain(Console console) {
        return new Reception(console, TcpServer.Settings.of(new InetSocketAddress(0)));
    }

    /**
     * Whether the first bytes a client sent are a TLS ClientHello (someone typed {@code https://} before the
     * lectern's address): a handshake record, 0x16, then the protocol version's major byte, 0x03.
     */
    public static boolean isTlsHello(byte[] data, int length) {
        return length >= 2 && data[0] == 0x16 && data[1] == 0x03;
    }

    /**
     * Whether the first bytes a client sent start an HTTP request: then no prompt is sent, only a page.
     * Asked of every ID, so it compares bytes and makes no String.
     */
    public static boolean looksLikeHttp(byte[] data, int length) {
        for (byte[] method : HTTP_METHODS) {
            if (length >= method.length && Arrays.equals(data, 0, method.length, method, 0, method.length)) {
                return true;
            }
        }
        return false;
    }

    synchronized void connected() {
        connected++;
    }

    synchronized void timedOut() {
        timeouts++;
    }

    synchronized void refusedBusy() {
        busy++;
    }

    /** A TLS ClientHello came: one console line, nothing recorded; the caller closes at once. */
    void tlsHello(SocketAddress peer) {
        synchronized (this) {
            web++;
        }
        console.event("web", peer, "a TLS ClientHello (someone typed https://): closed, nothing recorded;"
                + " this server speaks plain TCP");
    }

    /**
     * The ID in {@code reader} is complete: log it and say what to answer. {@code local} is the address the
     * client reached, to tell a browser what to type instead.
     */
    public Answer judge(SocketAddress peer, SocketAddress local, IdReader reader) {
        byte[] raw = reader.id();
        if (raw.length == 0 && reader.end() == IdReader.End.END_OF_STREAM) {
            console.event("close", peer, "left without sending an ID");
            return new Answer(Kind.LEFT, raw, null, false);
        }
        String line = looksLikeHttp(raw, raw.length) ? Protocol.escape(raw) : null;
        if (line != null && REQUEST_LINE.matcher(line).matches()) {
            synchronized (this) {
                web++;
            }
            console.event("web", peer, "a web browser (" + line + "): answered with a page saying how to connect;"
                    + " nothing recorded");
            return new Answer(Kind.WEB, raw, httpPage(line.startsWith("HEAD "), local, livePagePort), false);
        }
        byte[] id = Protocol.upperCaseAscii(raw);
        String shown = Protocol.escape(id);
        if (id.length == 0) {
            synchronized (this) {
                empty++;
            }
            console.event("id", peer, "empty ID (" + reader.end() + "), nothing recorded", "id", "", "recorded", false);
            return notRecorded(id, "empty ID; type your student ID, then Enter");
        }
        if (idPattern != null && !idPattern.matcher(shown).matches()) {
            synchronized (this) {
                refused++;
            }
            console.event("refused", peer, "ID " + shown + " refused: it does not match --id-pattern "
                    + idPattern.pattern() + ", nothing recorded", "id", shown, "recorded", false);
            return notRecorded(id, shown + " does not look like a student ID here (" + idPattern.pattern()
                    + ")");
        }
        int times = remember(shown);
        console.event("id", peer, "ID " + shown + " (" + reader.end() + ")", "id", shown, "duplicate", times > 1);
        if (times > 1 && (times <= SHOWN_DUPLICATES || times % 100 == 0)) {
            // a line of its own, so the ID line keeps one shape for scripts that read it; a load run's IDs repeat
            // thousands of times: past the tenth, one line a hundred (--json and the roster mark every one)
            console.event("duplicate", peer, "duplicate: " + shown + " was recorded before; this is its "
                    + ordinal(times) + " time", "id", shown, "times", times);
        }
        return new Answer(Kind.RECORD, id, Protocol.acknowledgement(id), times > 1);
    }

    private synchronized int remember(String shown) {
        recorded++;
        int[] times = seen.get(shown);
        if (times == null) {
            if (seen.size() < MAX_REMEMBERED) {
                seen.put(shown, new int[] {1});
            }
            return 1;
        }
        duplicates++;
        return ++times[0];
    }

    private static Answer notRecorded(byte[] id, String why) {
        return new Answer(Kind.NOT_RECORDED, id, notRecordedLine(why), false);
    }

    /** {@code ID not recorded: <why>\n}. */
    static byte[] notRecordedLine(String why) {
        byte[] reason = Protocol.bytes(why + "\n");
        byte[] line = new byte[Protocol.NOT_RECORDED_PREFIX.length + reason.length];
        System.arraycopy(Protocol.NOT_RECORDED_PREFIX, 0, line, 0, Protocol.NOT_RECORDED_PREFIX.length);
        System.arraycopy(reason, 0, line, Protocol.NOT_RECORDED_PREFIX.length, reason.length);
        return line;
    }

    /** The page a browser gets: HTTP/1.0, so that closing the connection ends it. */
    static byte[] httpPage(boolean headOnly, SocketAddress local, int livePagePort) {
        String host = "HOST";
        String port = "PORT";
        if (local instanceof InetSocketAddress inet && inet.getAddress() != null) {
            host = lab.sockets.Addresses.host(inet.getAddress());
            port = String.valueOf(inet.getPort());
        }
        String body = "This is the socket lab's TCP server, not a web server: a browser cannot talk to it.\n"
                + "Connect with a TCP client instead, and type your student ID:\n\n"
                + "  java -jar sockets.jar tcp-client " + host + " " + port + "\n"
                + "  python3 tcp_client.py        (the slides' client, with HOST = \"" + host + "\" and PORT = " + port + ")\n"
                + "  nc " + host + " " + port + "\n"
                + (livePagePort > 0 ? "\nWho has got through so far: http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                        + ":" + livePagePort + "/\n" : "");
        byte[] content = body.getBytes(UTF_8);
        String head = "HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + content.length
                + "\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
        return headOnly ? head.getBytes(UTF_8) : (head + body).getBytes(UTF_8);
    }

    /**
     * What the TA reads when the server stops: the counts, and with {@code --expect} who is missing.
     * <pre>
     *   summary: 38 IDs recorded (2 duplicates), 1 refused by --id-pattern, 1 empty
     *   clients: 41 connected, 2 timed out, 0 turned away busy, 0 from a browser or https
     *   missing 3 of 40 expected: B08902003, B08902017, B08902031
     * </pre>
     */
    public synchronized List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add("summary: " + count(recorded, "ID") + " recorded (" + count(duplicates, "duplicate") + "), "
                + refused + " refused by --id-pattern, " + empty + " empty");
        lines.add("clients: " + connected + " connected, " + timeouts + " timed out, " + busy + " turned away busy, "
                + web + " from a browser or https");
        if (expected != null) {
            List<String> missing = expected.missing(seen.keySet());
            lines.add(missing.isEmpty() ? "every one of the " + expected.ids().size() + " expected students is recorded"
                    : "missing " + missing.size() + " of " + expected.ids().size() + " expected: " + String.join(", ", missing));
        }
        return lines;
    }

    private static String count(int n, String thing) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }

    private static String ordinal(int n) {
        int tens = n % 100;
        String suffix = tens >= 11 && tens <= 13 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
        return n + suffix;
    }
}
