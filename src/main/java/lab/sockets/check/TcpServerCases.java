package lab.sockets.check;

import lab.sockets.Addresses;
import lab.sockets.Errno;
import lab.sockets.Protocol;
import lab.sockets.check.Check.Needs;
import lab.sockets.check.Probe.Received;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static lab.sockets.check.Kind.REQUIRED;
import static lab.sockets.check.Kind.ROBUST;
import static lab.sockets.check.Slides.ACCEPT;
import static lab.sockets.check.Slides.RECV_ID;
import static lab.sockets.check.Slides.SEND;

/**
 * The cases for a student's TCP server. The checker is the client, and talks as the slides' client does:
 * connect, read the prompt, send an ID, and watch the server's own console for the ID upper-cased.
 * <pre>
 *   s.bind((HOST, PORT)); s.listen(0)
 *   client, address = s.accept()
 *   client.send(b"What's your student ID?\n")
 *   student_id = client.recv(1000).upper().decode('utf-8')
 *   print(student_id)
 *   client.close()
 * </pre>
 */
final class TcpServerCases {
    private TcpServerCases() {}

    /** The ID the checker sends: the slides' TA's, in lower case, so that upper-casing shows. */
    static final String ID = "r08942159";
    /** The next client's ID, where a case needs two. */
    static final String NEXT_ID = "b10902042";
    /** An ID long past the slides' {@code recv(1000)}. */
    static final int OVERSIZED_BYTES = 64 * 1024;

    /** Once a server has closed the connection, how long its console may lag behind. */
    private static final long CLOSED_GRACE_NANOS = 1_000_000_000L;

    private static final Role ROLE = Role.TCP_SERVER;
    private static final String SURVIVE = "one client's trouble must not end the server: wrap each conversation in"
            + " try/except OSError, and close that client's socket in finally";

    static List<Check> all() {
        return List.of(ACCEPTS, PROMPT, PRINTS_ID, CLOSES, ALL_INTERFACES, NO_NEWLINE, SECOND_CLIENT, CONCURRENT,
                SPLIT_ID, RESET, INVALID_UTF8, EMPTY_ID, OVERSIZED);
    }

    private static final Check ACCEPTS = Check.of(ROLE, "accepts", REQUIRED, Needs.SOCKETS, TcpServerCases::accepts,
            "accepts a connection", ACCEPT);
    private static Finding accepts(Trial t) throws Exception {
        t.startServer();
        long began = t.millis();
        Probe.connect(t, t.server(), t.deadline());
        return Finding.pass("connected in " + (t.millis() - began) + " ms");
    }

    private static final Check PROMPT = Check.of(ROLE, "prompt", REQUIRED, Needs.SOCKETS, TcpServerCases::prompt,
            "sends exactly the 24 bytes What's your student ID?\\n, before reading anything",
            "client.send(b\"What's your student ID?\\n\")");
    private static Finding prompt(Trial t) throws Exception {
        t.startServer();
        Socket socket = Probe.connect(t, t.server(), t.deadline());
        Received prompt = Probe.readLine(socket, t.deadline());
        if (Arrays.equals(prompt.bytes(), Protocol.PROMPT)) {
            return Finding.pass("prompt after " + prompt.firstMillis() + " ms");
        }
        return Evidence.expected(Evidence.bytes(Protocol.PROMPT) + ", before the client sends anything")
                .came(prompt.describe())
                .hint(promptHint(prompt))
                .failed();
    }

    private static String promptHint(Received prompt) {
        byte[] want = Protocol.PROMPT;
        byte[] came = prompt.bytes();
        if (came.length == 0) {
            return prompt.closed() ? "it closed the connection without a prompt"
                    : "the slides' server sends the prompt right after accept(); a server that calls recv() first"
                    + " waits for the client, while the client waits for the prompt";
        }
        if (Arrays.equals(came, Arrays.copyOf(want, want.length - 1))) {
            return "your prompt has no \\n: the slides' input() shows it all the same, but the student's typing lands on"
                    + " the prompt's line, and a client that reads a line (readline(), nc into a script) waits for a \\n"
                    + " that never comes";
        }
        int at = 0;
        while (at < came.length && at < want.length && came[at] == want[at]) {
            at++;
        }
        if (at == want.length) {
            return "the prompt came with more after it: send the prompt alone, then recv() the ID";
        }
        return "it differs from the slides' prompt at byte " + at + " (" + show(want, at) + " expected, "
                + show(came, at) + " came): copy it from the slides, client.send(b\"What's your student ID?\\n\")";
    }

    private static String show(byte[] data, int from) {
        return from >= data.length ? "the end" : Protocol.pythonBytes(data, from, Math.min(8, data.length - from), 8);
    }

    private static final Check PRINTS_ID = Check.of(ROLE, "prints-id", REQUIRED, Needs.OUTPUT, TcpServerCases::printsId,
            "prints the ID it received, upper-cased, on its console", RECV_ID);
    private static Finding printsId(Trial t) throws Exception {
        Socket socket = prompted(t);
        Probe.send(socket, line(ID));
        return printed(t, ID, "the ID " + Protocol.pythonBytes(line(ID), 0, ID.length() + 1, 40) + " was sent",
                "print the ID you received, upper-cased as the slides do: " + RECV_ID);
    }

    /** Waits for {@code id}, upper-cased, on the program's console; a failure says what was printed instead. */
    private static Finding printed(Trial t, String id, String after, String hint) throws InterruptedException {
        return printed(t, id, t.soon(), after, hint);
    }

    private static Finding printed(Trial t, String id, long until, String after, String hint) throws InterruptedException {
        String upper = upper(id);
        Program.Output stdout = t.program().stdout();
        long began = t.millis();
        if (stdout.waitFor(upper, until)) {
            return Finding.pass("printed " + upper + " " + (t.millis() - began) + " ms after the ID was sent");
        }
        String printedAs = stdout.text().contains(id) ? "; it printed " + id + " as it came, not upper-cased" : "";
        return Evidence.expected(upper + " on the program's standard output, once " + after)
                .came("not there after " + (t.millis() - began) + " ms" + printedAs + " (its output is below)")
                .hint(printedAs.isEmpty() ? hint : "the slides upper-case the bytes before decoding: recv(1000).upper()")
                .failed();
    }

    private static final Check CLOSES = Check.of(ROLE, "closes", REQUIRED, Needs.SOCKETS, TcpServerCases::closes,
            "closes the connection after the ID", "client.close()");
    private static Finding closes(Trial t) throws Exception {
        Socket socket = prompted(t);
        Probe.send(socket, line(ID));
        Received rest = Probe.readToEnd(socket, t.soon());
        if (rest.closed()) {
            return Finding.pass("closed " + rest.millis() + " ms after the ID");
        }
        return Evidence.expected("the connection closed by the server once it has the ID")
                .came(rest.describe() + "; the connection was still open")
                .hint("client.close() once the ID is printed: nc and most clients wait for the server to close")
                .failed();
    }

    private static final Check ALL_INTERFACES = ServerCases.allInterfaces(ROLE, TcpServerCases::allInterfaces,
            "s.bind((HOST, PORT)) with HOST = \"\" (INADDR_ANY: all the interfaces)");
    private static Finding allInterfaces(Trial t) throws Exception {
        InetSocketAddress there = t.startServerOnOwnAddress();
        try {
            t.keep(new Socket()).connect(there, Probe.millisUntil(t.deadline()));
            return Finding.pass("connected through " + Addresses.format(there));
        } catch (IOException e) {
            return Evidence.expected("a connection through " + Addresses.format(there) + ", this machine's own address")
                    .came(Errno.of(e) == Errno.ECONNREFUSED ? "refused: nothing listens on that address"
                            : "no connection: " + Errno.describe(e))
                    .hint(ServerCases.onlyOnLoopbackHint("listens on", "HOST"))
                    .failed();
        }
    }

    private static final Check NO_NEWLINE = Check.of(ROLE, "no-newline", REQUIRED, Needs.OUTPUT,
            TcpServerCases::noNewline,
            "takes an ID sent with no newline, then the end of the stream, as the slides' client sends it", SEND);
    private static Finding noNewline(Trial t) throws Exception {
        Socket socket = prompted(t);
        Probe.send(socket, ID.getBytes(UTF_8));
        socket.shutdownOutput();
        return printed(t, ID, "the ID was sent with no \\n and the client closed its side",
                "the slides' client sends the ID with no \\n and closes: stop at recv()'s b'' (end of stream),"
                        + " not only at a \\n");
    }

    private static final Check SECOND_CLIENT = Check.of(ROLE, "second-client", ROBUST, Needs.OUTPUT,
            TcpServerCases::secondClient, "serves a second client after the first", ACCEPT);
    private static Finding secondClient(Trial t) throws Exception {
        t.startServer();
        served(t, ID, "the first client");
        nextServed(t, "the slides' server runs accept() in a loop: while True: " + ACCEPT + " ...");
        return Finding.pass("both served");
    }

    private static final Check CONCURRENT = Check.of(ROLE, "concurrent", ROBUST, Needs.SOCKETS,
            TcpServerCases::concurrent, "serves a client while another one sits silent at the prompt", ACCEPT);
    private static Finding concurrent(Trial t) throws Exception {
        t.startServer();
        Socket silent = Probe.connect(t, t.server(), t.deadline());
        Probe.readLine(silent, t.soon());
        Socket next = Probe.connect(t, t.server(), t.deadline());
        Received prompt = Probe.readLine(next, t.soon());
        if (prompt.bytes().length == 0) {
            return Evidence.expected("a prompt for a second client, while the first sits silent at its prompt")
                    .came(prompt.describe())
                    .hint("one client at a time: the server waits in recv() for the silent client and accepts no one"
                            + " else; serve each client in a thread of its own (threading), with a timeout")
                    .failed();
        }
        Probe.send(next, line(NEXT_ID));
        if (t.program() != null && !t.program().stdout().waitFor(upper(NEXT_ID), t.soon())) {
            return Evidence.expected(upper(NEXT_ID) + ", the second client's ID, printed while the first sits silent")
                    .came("not printed after " + Trial.PATIENCE.toMillis() + " ms")
                    .hint("the second client got its prompt, but its ID waits behind the silent one: read each"
                            + " client in a thread of its own")
                    .failed();
        }
        return Finding.pass("the second client was served while the first sat silent");
    }

    private static final Check SPLIT_ID = Check.of(ROLE, "split-id", ROBUST, Needs.OUTPUT, TcpServerCases::splitId,
            "reads an ID that comes in two segments as one ID", RECV_ID);
    private static Finding splitId(Trial t) throws Exception {
        Socket socket = prompted(t);
        int half = ID.length() / 2;
        Probe.send(socket, ID.substring(0, half).getBytes(UTF_8));
        Probe.waitUntilRead(t.port(), socket.getLocalPort());   // the server has recv()ed the first piece
        Probe.send(socket, line(ID.substring(half)));
        Received rest = Probe.readToEnd(socket, t.soon());
        // once the server has closed, it has printed what it read, or is about to: no need for all our patience
        long until = rest.closed() ? Math.min(t.soon(), System.nanoTime() + CLOSED_GRACE_NANOS) : t.soon();
        Finding found = printed(t, ID, until, "the ID was sent in two pieces, " + ID.substring(0, half) + " then "
                + ID.substring(half) + "\\n", "");
        if (found.status() == Finding.Status.PASSED) {
            return found;
        }
        return Evidence.expected(upper(ID) + " printed whole, once it was sent in two pieces (" + ID.substring(0, half)
                        + ", then " + ID.substring(half) + "\\n, once the first was read)")
                .came("not printed whole (its output is below)")
                .hint("TCP is a byte stream: one recv(1000) returns what has arrived so far, here " + ID.substring(0, half)
                        + "; call recv() until the \\n, or b'' (the end of the stream), comes")
                .failed();
    }

    private static final Check RESET = Check.of(ROLE, "reset", ROBUST, Needs.RESTART, TcpServerCases::reset,
            "survives a client that resets the connection at the prompt, and serves the next", RECV_ID);
    private static Finding reset(Trial t) throws Exception {
        Socket socket = prompted(t);
        Probe.abort(socket);
        return survives(t, "the reset", "a client that resets makes recv() raise ConnectionResetError; ");
    }

    private static final Check INVALID_UTF8 = Check.of(ROLE, "invalid-utf8", ROBUST, Needs.RESTART,
            TcpServerCases::invalidUtf8, "survives an ID that is not valid UTF-8, and serves the next client", RECV_ID);
    private static Finding invalidUtf8(Trial t) throws Exception {
        Socket socket = prompted(t);
        Probe.send(socket, new byte[] {'r', '0', '8', (byte) 0xff, (byte) 0xfe, '\n'});
        Probe.readToEnd(socket, t.soon());
        return survives(t, "b'r08\\xff\\xfe\\n'",
                "decode('utf-8') raises UnicodeDecodeError on b'\\xff': decode with errors='replace', and ");
    }

    private static final Check EMPTY_ID = Check.of(ROLE, "empty-id", ROBUST, Needs.RESTART, TcpServerCases::emptyId,
            "survives an empty ID (the client closes at the prompt), and serves the next client", RECV_ID);
    private static Finding emptyId(Trial t) throws Exception {
        Socket socket = prompted(t);
        socket.shutdownOutput();
        Probe.readToEnd(socket, t.soon());
        return survives(t, "an empty ID", "recv() returns b'' when the client closes without a word: ");
    }

    private static final Check OVERSIZED = Check.of(ROLE, "oversized", ROBUST, Needs.RESTART, TcpServerCases::oversized,
            "survives 64 KiB sent as an ID, and serves the next client", RECV_ID);
    private static Finding oversized(Trial t) throws Exception {
        Socket socket = prompted(t);
        byte[] junk = new byte[OVERSIZED_BYTES];
        Arrays.fill(junk, (byte) 'x');
        junk[junk.length - 1] = Protocol.NEWLINE;
        try {
            Probe.send(socket, junk);
        } catch (IOException e) {
            // a server that stops reading at recv(1000) and closes resets the rest: that is its right
        }
        Probe.readToEnd(socket, t.soon());
        return survives(t, "64 KiB", "recv(1000) takes at most 1000 bytes; the rest is the client's problem, not the"
                + " server's: ");
    }

    /** Starts the server, connects, and reads the prompt (whether it came is the prompt case's business). */
    private static Socket prompted(Trial t) throws Exception {
        t.startServer();
        Socket socket = Probe.connect(t, t.server(), t.deadline());
        Probe.readLine(socket, t.soon());
        return socket;
    }

    /**
     * The robust cases' verdict: after {@code what}, the server still serves the next client. {@code why}
     * says what a server that died of it met, before the advice every such case gives ({@link #SURVIVE}).
     */
    private static Finding survives(Trial t, String what, String why) throws Exception {
        nextServed(t, why + SURVIVE);
        return Finding.pass("survived " + what + ", served the next client");
    }

    /** The next client is served, or the evidence says whether the server died. */
    private static void nextServed(Trial t, String hint) throws Exception {
        try {
            served(t, NEXT_ID, "the next client");
        } catch (Finding.Stop notServed) {
            Program program = t.program();
            if (program != null && program.waitForExit(t.soon())) {
                throw Evidence.expected("the server still running, to serve the next client")
                        .came("it " + program.exited())
                        .hint(hint)
                        .stop();
            }
            throw notServed;
        }
    }

    /** One whole conversation, as the slides' client has it: the prompt, the ID, the ID printed (or the close). */
    private static void served(Trial t, String id, String who) throws Exception {
        Socket socket = Probe.connect(t, t.server(), t.deadline());
        Received prompt = Probe.readLine(socket, t.soon());
        if (prompt.bytes().length == 0) {
            throw Evidence.expected("a prompt for " + who).came(prompt.describe()).stop();
        }
        Probe.send(socket, line(id));
        // whether it upper-cases is prints-id's business: here, any sign that the ID was read will do
        if (t.program() != null && t.program().stdout().waitForAny(t.soon(), upper(id), id) == null) {
            throw Evidence.expected("the ID of " + who + " (" + id + ") printed on the program's console")
                    .came("not there after " + Trial.PATIENCE.toMillis() + " ms (its output is below)")
                    .stop();
        }
        if (t.program() == null) {   // no console to look at: the close says the server is done with the ID
            Received rest = Probe.readToEnd(socket, t.soon());
            if (!rest.closed()) {
                throw Evidence.expected("the connection of " + who + " closed once it sent its ID")
                        .came(rest.describe()).stop();
            }
        }
    }

    private static byte[] line(String id) {
        return (id + "\n").getBytes(UTF_8);
    }

    private static String upper(String id) {
        return new String(Protocol.upperCaseAscii(id.getBytes(UTF_8)), UTF_8);
    }
}
