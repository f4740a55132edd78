package lab.sockets.check;

import lab.sockets.Protocol;
import lab.sockets.check.Check.Needs;
import lab.sockets.check.Probe.Received;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static lab.sockets.check.Kind.REQUIRED;
import static lab.sockets.check.Kind.ROBUST;
import static lab.sockets.check.Slides.INPUT;
import static lab.sockets.check.Slides.SEND;

/**
 * The cases for a student's TCP client. The checker is the server, as the slides' server is: it listens,
 * accepts, sends the prompt, and then types an ID on the program's standard input, as a student would.
 * <pre>
 *   s.connect((HOST, PORT))
 *   response = input(s.recv(1000).decode('utf-8')).encode('utf-8')
 *   s.send(response)
 * </pre>
 */
final class TcpClientCases {
    private TcpClientCases() {}

    /** What the checker types on the program's standard input. */
    static final String TYPED_ID = "b10902042";
    /** The prompt as a console shows it, without its newline. */
    static final String PROMPT_TEXT = new String(Protocol.PROMPT, 0, Protocol.PROMPT.length - 1, UTF_8);

    private static final Role ROLE = Role.TCP_CLIENT;

    static List<Check> all() {
        return List.of(CONNECTS, PROMPT, SENDS_ID, EXITS, SILENT_SERVER, SPLIT_PROMPT);
    }

    private static final Check CONNECTS = Check.of(ROLE, "connects", REQUIRED, Needs.OUTPUT, TcpClientCases::connects,
            "connects to the port it is given", "s.connect((HOST, PORT))");
    private static Finding connects(Trial t) throws Exception {
        ServerSocket listener = listen(t);
        accept(t, listener);
        return Finding.pass("connected " + t.program().millis() + " ms after it started");
    }

    private static final Check PROMPT = Check.of(ROLE, "prompt", REQUIRED, Needs.OUTPUT, TcpClientCases::prompt,
            "shows the server's prompt on its console", INPUT);
    private static Finding prompt(Trial t) throws Exception {
        Socket client = accept(t, listen(t));
        Probe.send(client, Protocol.PROMPT);
        long sent = t.millis();
        if (t.program().stdout().waitFor(PROMPT_TEXT, t.deadline())) {
            return Finding.pass("shown " + (t.millis() - sent) + " ms after it was sent");
        }
        return Evidence.expected(PROMPT_TEXT + " on the program's standard output, once the server sent "
                        + Evidence.bytes(Protocol.PROMPT))
                .came("not there after " + (t.millis() - sent) + " ms (its output is below)")
                .hint("show what recv() returned, as the slides do: " + INPUT + " prints it as input()'s prompt")
                .failed();
    }

    private static final Check SENDS_ID = Check.of(ROLE, "sends-id", REQUIRED, Needs.OUTPUT, TcpClientCases::sendsId,
            "sends the line typed on its standard input", SEND);
    private static Finding sendsId(Trial t) throws Exception {
        Socket client = accept(t, listen(t));
        Received id = converse(t, client);
        byte[] want = TYPED_ID.getBytes(UTF_8);
        if (Arrays.equals(stripLineEnd(id.bytes()), want)) {
            return Finding.pass("sent " + Evidence.bytes(id.bytes()));
        }
        String hint;
        if (id.bytes().length == 0) {
            hint = id.closed() ? "it closed the connection without sending: s.send(response) once input() returns"
                    : "nothing was sent: s.send(response) once input() returns";
        } else {
            hint = "send what was typed, as the slides do: " + INPUT + ", then " + SEND;
        }
        return Evidence.expected(Evidence.bytes(want) + " (with or without \\n), once " + TYPED_ID
                        + " was typed on its standard input")
                .came(id.describe())
                .hint(hint)
                .failed();
    }

    private static final Check EXITS = Check.of(ROLE, "exits", REQUIRED, Needs.OUTPUT, TcpClientCases::exits,
            "ends, with status 0, once the server closes",
            "with socket.socket(...) as s: (the socket closes, the program ends)");
    private static Finding exits(Trial t) throws Exception {
        Socket client = accept(t, listen(t));
        converse(t, client);
        client.close();   // the slides' server: client.close()
        long closed = t.millis();
        Program program = t.program();
        if (program.waitForExit(t.deadline()) && program.exitStatus() == 0) {
            return Finding.pass("ended " + (t.millis() - closed) + " ms after the server closed");
        }
        if (program.exitStatus() == null) {
            return Evidence.expected("the program ends once the server has closed the connection")
                    .came("still running " + (t.millis() - closed) + " ms after the server closed")
                    .hint("once it has sent the ID the slides' client is done: the with block closes the socket,"
                            + " and the program ends")
                    .failed();
        }
        return Evidence.expected("the program ends with status 0 once the server has closed the connection")
                .came("it ended with status " + program.exitStatus())
                .hint("it ended with an error: its stderr below says which")
                .failed();
    }

    private static final Check SILENT_SERVER = Check.of(ROLE, "silent-server", ROBUST, Needs.OUTPUT,
            TcpClientCases::silentServer, "gives up, in bounded time, on a server that accepts but never prompts",
            "s.recv(1000)");
    private static Finding silentServer(Trial t) throws Exception {
        accept(t, listen(t));
        return ClientCases.givesUp(t, "after connecting", "on a server that never prompts",
                "s.recv() waits forever for a server that never answers: call s.settimeout(5) after creating"
                        + " the socket, and say so when socket.timeout comes");
    }

    private static final Check SPLIT_PROMPT = Check.of(ROLE, "split-prompt", ROBUST, Needs.OUTPUT,
            TcpClientCases::splitPrompt, "shows the whole prompt when it comes in two segments", INPUT);
    private static Finding splitPrompt(Trial t) throws Exception {
        ServerSocket listener = listen(t);
        Socket client = accept(t, listener);
        int half = PROMPT_TEXT.indexOf("student");
        Probe.send(client, Arrays.copyOf(Protocol.PROMPT, half));
        Probe.waitUntilRead(client.getPort(), t.port());   // the client has recv()ed the first piece
        Probe.send(client, Arrays.copyOfRange(Protocol.PROMPT, half, Protocol.PROMPT.length));
        if (t.program().stdout().waitFor(PROMPT_TEXT, t.soon())) {
            return Finding.pass("showed the whole prompt");
        }
        String first = Protocol.pythonBytes(Protocol.PROMPT, 0, half, 40);
        return Evidence.expected(PROMPT_TEXT + " shown whole, once it was sent in two pieces (" + first
                        + ", then the rest once the first was read)")
                .came("not shown whole (its output is below)")
                .hint("TCP is a byte stream: one s.recv(1000) returns what has arrived so far, here " + first
                        + "; call recv() until the \\n comes")
                .failed();
    }

    /**
     * Listens on the port the program is told ({@code {port}}: a free one), then starts the program:
     * the slides' server is running first.
     */
    private static ServerSocket listen(Trial t) throws IOException, Finding.Stop {
        ServerSocket listener = t.keep(new ServerSocket());
        try {
            listener.bind(new InetSocketAddress(t.portToBind()));
        } catch (BindException e) {
            throw ClientCases.portInUse(t, "the checker listening on port");
        }
        t.startClient(listener.getLocalPort());
        return listener;
    }

    /** {@code client, address = s.accept()}, until the deadline or until the program exits. */
    private static Socket accept(Trial t, ServerSocket listener) throws IOException, InterruptedException, Finding.Stop {
        listener.setSoTimeout(50);
        Program program = t.program();
        while (true) {
            try {
                Socket client = t.keep(listener.accept());
                client.setTcpNoDelay(true);
                return client;
            } catch (SocketTimeoutException e) {
                // look at the program and the clock, then accept again
            }
            if (program.waitForExit(System.nanoTime()) || System.nanoTime() - t.deadline() > 0) {
                String came = program.exitStatus() != null
                        ? "the program " + program.exited() + ", without connecting"
                        : "no connection after " + t.millis() + " ms";
                throw Evidence.expected("a connection to port " + t.port())
                        .came(came)
                        .hint(t.portHint("connect to that one", "connect to"))
                        .stop();
            }
        }
    }

    /** Sends the prompt, waits (briefly) for it to show, types the ID, and reads what the client sends. */
    private static Received converse(Trial t, Socket client) throws IOException, InterruptedException {
        Probe.send(client, Protocol.PROMPT);
        t.program().stdout().waitFor(PROMPT_TEXT, t.soon());
        t.program().type(TYPED_ID + "\n");
        return Probe.readLine(client, t.deadline());
    }

    /** The bytes without one trailing {@code \n} or {@code \r\n}. */
    private static byte[] stripLineEnd(byte[] line) {
        int n = line.length;
        if (n > 0 && line[n - 1] == '\n') {
            n--;
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
        }
        return Arrays.copyOf(line, n);
    }
}
