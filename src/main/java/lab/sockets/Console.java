package lab.sockets;

import java.io.PrintWriter;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.Consumer;

/**
 * One line per event, on the TA's screen or for a script. Every server and client writes through here,
 * so every line has the same shape:
 * <pre>
 *   15:32:07.412  127.0.0.1:52814  ID B08902001 (ended by newline)
 * </pre>
 * that is: local time, the peer's {@code ip:port} (left out when there is none), and what happened.
 * With {@code --json} the same event is one JSON object per line, with fixed field names
 * ({@code time}, {@code event}, {@code peer}, {@code text}, and extra fields such as {@code id}; numbers are numbers):
 * <pre>
 *   {"time":"2026-11-25T15:32:07.412Z","event":"id","peer":"127.0.0.1:52814","text":"ID B08902001 (ended by newline)","id":"B08902001"}
 * </pre>
 * Normal events go to stdout, problems with the tool itself to stderr. Text that came from the network
 * must already be escaped ({@link Protocol#escape}); this class never writes a control character it was
 * not given. Lines are buffered: servers call {@link #flush()} once per batch of events rather than
 * once per line, clients get a console that flushes every line. Thread-safe.
 */
public final class Console {
    /** {@link #wrapped()} consoles wrap narrated steps wider than this, for a terminal of ordinary width. */
    static final int WIDTH = 100;
    /** Under the time column: {@code 15:32:07.412} and two spaces. */
    private static final String INDENT = " ".repeat(14);
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean explain;
    private final boolean flushEachLine;
    private final String role;
    private boolean wrap;
    /** java.util's time zone, not java.time's: loading java.time's rules costs a client ~30 ms at start. */
    private final TimeZone zone = TimeZone.getDefault();
    private final StringBuilder line = new StringBuilder(256);
    private SocketAddress lastPeer;      // a conversation logs several events: format its address once
    private String lastPeerText;
    private boolean dirty;
    /** The live page's listener ({@code --web}), or {@code null}: see {@link #tap}. */
    private volatile Consumer<Event> tap;

    public Console(PrintWriter out, PrintWriter err, boolean json, boolean flushEachLine) {
        this(out, err, json, false, flushEachLine, null);
    }

    /**
     * @param explain whether {@link #explain} lines are shown ({@code --explain})
     * @param role    who is speaking in explained lines ({@code server}, {@code client}), when one console
     *                serves both ends, as in {@code sockets demo}; {@code null} for none
     */
    public Console(PrintWriter out, PrintWriter err, boolean json, boolean explain, boolean flushEachLine, String role) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.explain = explain;
        this.flushEachLine = flushEachLine;
        this.role = role;
    }

    /** The same output, for the other end of a conversation ({@code sockets demo} runs both in one process). */
    public Console withRole(String newRole) {
        Console other = new Console(out, err, json, explain, flushEachLine, newRole);
        other.wrap = wrap;
        return other;
    }

    /**
     * This console, wrapping each narrated step that is wider than {@value #WIDTH} columns: the slides'
     * Python stays on the event's line, the Java call and the result go under it ({@code sockets demo}).
     */
    public Console wrapped() {
        wrap = true;
        return this;
    }

    /**
     * With {@code --explain}: one socket step, in the slides' Python, in the Java that does it here, and
     * what came of it.
     * <pre>
     *   15:32:01.118  server  bind(("", 65432))  ServerSocketChannel.bind(0.0.0.0:65432)  bound on all interfaces (INADDR_ANY)
     * </pre>
     */
    public void explain(SocketAddress peer, String python, String java, String result) {
        if (explain) {
            String text = python + "  " + java + "  " + result;
            write(out, "explain", peer, text, new Object[] {"python", python, "java", java, "result", result});
        }
    }

    public boolean explaining() {
        return explain;
    }

    /** A normal event, on stdout. {@code fields} are extra key/value pairs for {@code --json}. */
    public void event(String event, SocketAddress peer, String text, Object... fields) {
        write(out, event, peer, text, fields);
    }

    /** Something the user must look at (the server backing off, a failed roster write), on stderr. */
    public void problem(String event, SocketAddress peer, String text, Object... fields) {
        write(err, event, peer, text, fields);
    }

    public boolean json() {
        return json;
    }

    /**
     * One event as the live page ({@code --web}) receives it. {@link #json()} is the object {@code --json}
     * prints, built by the same code, on the page's thread rather than the server's.
     */
    public record Event(long millis, String event, String peer, String text, String role, Object[] fields) {
        public String json() {
            StringBuilder out = new StringBuilder(256);
            appendJson(out, millis, event, peer, text, role, fields);
            return out.toString();
        }
    }

    /**
     * Hands every event from now on to {@code listener} as well, on the thread that wrote it, once printed.
     * Set once, before the server starts. The listener must return at once (offer to a bounded queue):
     * a server's event loop calls it.
     */
    public void tap(Consumer<Event> listener) {
        tap = listener;
    }

    /** Writes buffered lines out; servers call this when a batch of events is done. */
    public synchronized void flush() {
        if (dirty) {
            out.flush();
            err.flush();
            dirty = false;
        }
    }

    private synchronized void write(PrintWriter to, String event, SocketAddress peer, String text, Object[] fields) {
        long now = System.currentTimeMillis();
        line.setLength(0);
        if (json) {
            appendJson(line, now, event, peer == null ? null : peerText(peer), text, role, fields);
        } else {
            appendClock(line, Math.floorMod(now + zone.getOffset(now), 86_400_000L));
            line.append("  ");
            if (role != null) {
                line.append(role).append("  ");
            }
            if (peer != null) {
                line.append(peerText(peer)).append("  ");
            }
            if (wrap && fields.length == 6 && event.equals("explain") && line.length() + text.length() > WIDTH) {
                appendWrapped(line, (String) fields[1], (String) fields[3], (String) fields[5]);
            } else {
                line.append(text);
            }
        }
        line.append('\n');
        to.write(line.toString());
        if (flushEachLine || to == err) {
            to.flush();
        } else {
            dirty = true;
        }
        Consumer<Event> listener = tap;
        if (listener != null) {
            listener.accept(new Event(now, event, peer == null ? null : peerText(peer), text, role, fields));
        }
    }

    /** The {@code --json} object of one event: the console's lines and the live page both use this. */
    static void appendJson(StringBuilder line, long millis, String event, String peer, String text, String role,
                           Object[] fields) {
        line.append("{\"time\":\"").append(Instant.ofEpochMilli(millis)).append('"');
        appendJsonField(line, "event", event);
        appendJsonField(line, "peer", peer);
        appendJsonField(line, "text", text);
        if (role != null) {
            appendJsonField(line, "role", role);
        }
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] instanceof Number || fields[i + 1] instanceof Boolean) {
                line.append(",\"").append(fields[i]).append("\":").append(fields[i + 1]);
            } else {
                appendJsonField(line, (String) fields[i], fields[i + 1] == null ? null : fields[i + 1].toString());
            }
        }
        line.append('}');
    }

    /**
     * A narrated step too wide for {@value #WIDTH} columns: the slides' Python on the event's line, then the
     * Java call and the result under it, indented, wrapped between words.
     */
    private static void appendWrapped(StringBuilder line, String python, String java, String result) {
        line.append(python);
        for (String part : new String[] {java, result}) {
            line.append('\n').append(INDENT);
            int lineStart = line.length() - INDENT.length();
            boolean first = true;
            for (String word : part.split(" ")) {
                if (!first && line.length() - lineStart + 1 + word.length() > WIDTH) {
                    line.append('\n').append(INDENT).append("  ");
                    lineStart = line.length() - INDENT.length() - 2;
                } else if (!first) {
                    line.append(' ');
                }
                line.append(word);
                first = false;
            }
        }
    }

    private String peerText(SocketAddress peer) {
        if (peer != lastPeer) {
            lastPeer = peer;
            lastPeerText = Addresses.format(peer);
        }
        return lastPeerText;
    }

    /** {@code 15:32:07.412} from the milliseconds since local midnight, by hand: see {@link #zone}. */
    private static void appendClock(StringBuilder line, long millisOfDay) {
        appendDigits(line, (int) (millisOfDay / 3_600_000), 2).append(':');
        appendDigits(line, (int) (millisOfDay / 60_000 % 60), 2).append(':');
        appendDigits(line, (int) (millisOfDay / 1000 % 60), 2).append('.');
        appendDigits(line, (int) (millisOfDay % 1000), 3);
    }

    private static StringBuilder appendDigits(StringBuilder line, int value, int digits) {
        for (int scale = digits == 3 ? 100 : 10; scale > 1 && value < scale; scale /= 10) {
            line.append('0');
        }
        return line.append(value);
    }

    /** {@code ,"name":"value"} with JSON escaping (control and invisible characters as {@code \\uXXXX}); {@code null} as null. */
    public static void appendJsonField(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":");
        appendJsonString(out, value);
    }

    /** {@code value} as a JSON string ({@code null} as null), escaped as the console escapes it. */
    public static void appendJsonString(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
