package lab.sockets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;
import static lab.sockets.RawPeer.bytes;
import static lab.sockets.RawPeer.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The jar against the code students actually run: the slides' four Python programs in
 * {@code scripts/python/}, both ways, and raw sockets that play {@code nc} or a student's own client,
 * checking the exact bytes each side puts on the wire (SPEC §2).
 *
 * <p>The servers (ours as {@code java -jar}, the slides' as {@code python3}) are started once for the
 * class, on loopback, port 0; each test uses its own ID, and finds its own log line by its ID or by the
 * client's port. Needs {@code python3} on the PATH (or {@code -Dpython=/path/to/python3}).
 */
@Timeout(value = 60, unit = SECONDS, threadMode = SEPARATE_THREAD)
class InteropTest {
    /** JVM and Python start-up on a loaded CI machine; the Python here takes a second just to start. */
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final Duration LINE = Duration.ofSeconds(20);

    private static JarProcess javaTcpServer;
    private static JarProcess javaUdpServer;
    private static JarProcess slidesTcpServer;
    private static JarProcess slidesUdpServer;
    private static int javaTcpPort;
    private static int javaUdpPort;
    private static int slidesTcpPort;
    private static int slidesUdpPort;

    @BeforeAll
    @Timeout(value = 90, unit = SECONDS, threadMode = SEPARATE_THREAD)
    static void startServers() throws Exception {
        // all four start at once; then each is waited for by its banner line
        javaTcpServer = JarProcess.start("tcp-server", "--bind", "127.0.0.1", "--port", "0");
        javaUdpServer = JarProcess.start("udp-server", "--bind", "127.0.0.1", "--port", "0");
        slidesTcpServer = python("tcp_server.py", "127.0.0.1", "0");
        slidesUdpServer = python("udp_server.py", "127.0.0.1", "0");
        javaTcpPort = javaTcpServer.awaitPort(START);
        javaUdpPort = javaUdpServer.awaitPort(START);
        slidesTcpPort = slidesTcpServer.awaitPort(START);
        slidesUdpPort = slidesUdpServer.awaitPort(START);
    }

    @AfterAll
    static void stopServers() {
        for (JarProcess server : new JarProcess[] {javaTcpServer, javaUdpServer, slidesTcpServer, slidesUdpServer}) {
            if (server != null) {
                server.close();
            }
        }
    }

    // ---- the slides' Python servers, our Java clients ----

    @Test
    void slidesTcpServerGetsTheIdOfTcpClientWithIdOption() throws Exception {
        try (JarProcess client = JarProcess.start("tcp-client", "--port", "" + slidesTcpPort, "--id", "b08902001", "--no-ack")) {
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            client.awaitLine(":" + slidesTcpPort + "  server: What's your student ID\\?$", LINE);
            client.awaitLine(":" + slidesTcpPort + "  sent: b08902001$", LINE);
            // the slides' server closes without a word after recv(): with --no-ack, the client says so and succeeds
            client.awaitLine("the server closed the connection without an acknowledgement \\(none expected: --no-ack\\)$", LINE);
            assertEquals("", client.stderr());
        }
        // print(client.recv(1000).upper().decode('utf-8')): the slides' own code upper-cased what came
        slidesTcpServer.awaitLine("^B08902001$", LINE);
    }

    /**
     * Without {@code --no-ack}, a close without an acknowledgement is a failure: tcp-client cannot tell the
     * slides' server from a sockets tcp-server that could not record the ID, so it says so and where to look.
     */
    @Test
    void slidesTcpServerWithoutNoAckIsReportedAsNotAcknowledged() throws Exception {
        try (JarProcess client = JarProcess.start("tcp-client", "--port", "" + slidesTcpPort, "--id", "r07922118")) {
            assertEquals(1, client.exitCode(EXIT), client.stdout());
            assertEquals("Error: sent the ID to 127.0.0.1:" + slidesTcpPort + ", but the server closed the connection"
                    + " without an acknowledgement, so it may not have recorded it; ask the TA, or run tcp-client again"
                    + " (the slides' own server never answers: with it, pass --no-ack)", CommandLineTest.oneErrorLine(client));
        }
        slidesTcpServer.awaitLine("^R07922118$", LINE);
    }

    @Test
    void slidesTcpServerGetsTheIdTypedIntoTcpClient() throws Exception {
        try (JarProcess client = JarProcess.start("tcp-client", "--port", "" + slidesTcpPort, "--no-ack")) {
            // as a student would: see the prompt, then type
            client.awaitLine("server: What's your student ID\\?$", LINE);
            type(client, "r07922117\n");
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            client.awaitLine("sent: r07922117$", LINE);
        }
        slidesTcpServer.awaitLine("^R07922117$", LINE);
    }

    @Test
    void slidesUdpServerAnswersUdpClientAndGetsTheSlidesMessage() throws Exception {
        try (JarProcess client = JarProcess.start("udp-client", "--port", "" + slidesUdpPort)) {
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            client.awaitLine("reply from 127\\.0\\.0\\.1:" + slidesUdpPort + ": data received$", LINE);
        }
        // Python prints the bytes object: its repr shows exactly what came, b'...' with any byte escaped
        slidesUdpServer.awaitLine("^received message: b'Hello, World!'$", LINE);
    }

    // ---- the Java clients' exact bytes, recorded by a raw socket that plays the slides' server ----

    @ParameterizedTest(name = "tcp-client {0}")
    @ValueSource(strings = {"--id", "typed on stdin"})
    void tcpClientSendsTheIdAndOneNewlineAndNothingElse(String how) throws Exception {
        try (ServerSocket recorder = RawPeer.listen();
             JarProcess client = how.equals("--id")
                     ? JarProcess.start("tcp-client", "--port", "" + recorder.getLocalPort(), "--id", "b08902001")
                     : JarProcess.start("tcp-client", "--port", "" + recorder.getLocalPort())) {
            try (RawPeer peer = RawPeer.accept(recorder)) {
                peer.send(Protocol.PROMPT);
                if (!how.equals("--id")) {
                    client.awaitLine("server: What's your student ID\\?$", LINE);
                    type(client, "b08902001\n");
                }
                assertEquals(show(bytes("b08902001\n")), show(peer.readLine()), "the ID line tcp-client sent");
                peer.send(bytes("ID received: B08902001\n")).shutdownOutput();
                assertEquals(show(new byte[0]), show(peer.readAll()), "what tcp-client sent after its ID line");
            }
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            client.awaitLine("server: ID received: B08902001$", LINE);
        }
    }

    /**
     * A student's own server, written from the slides, may send its prompt without a newline
     * ({@code client.send(b"Student ID: ")}); the slides' client still works, since its {@code recv(1000)}
     * returns whatever came. tcp-client takes a prompt that is followed by a quiet pause, as the server does
     * for IDs, instead of waiting for a newline that never comes.
     */
    @Test
    void tcpClientAcceptsAPromptWithoutNewlineAsTheSlidesClientDoes() throws Exception {
        try (ServerSocket studentServer = RawPeer.listen();
             JarProcess client = JarProcess.start("tcp-client", "--port", "" + studentServer.getLocalPort(),
                     "--id", "b08902001", "--timeout", "3s")) {
            try (RawPeer peer = RawPeer.accept(studentServer)) {
                peer.send(bytes("Student ID: "));
                assertEquals(show(bytes("b08902001\n")), show(peer.readLine()),
                        "what tcp-client sent after a prompt with no newline");
                peer.send(bytes("OK B08902001\n")).shutdownOutput();
            }
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            client.awaitLine("server: Student ID: $", LINE);
            client.awaitLine("server: OK B08902001$", LINE);
        }
    }

    @Test
    void udpClientSendsExactlyTheSlidesMessage() throws Exception {
        try (DatagramSocket recorder = RawPeer.udp();
             JarProcess client = JarProcess.start("udp-client", "--port", "" + recorder.getLocalPort())) {
            assertEquals(show(bytes("Hello, World!")), show(RawPeer.answerOne(recorder)));
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            client.awaitLine("reply from 127\\.0\\.0\\.1:" + recorder.getLocalPort() + ": data received$", LINE);
        }
    }

    // ---- our Java servers, the slides' Python clients ----

    @Test
    void tcpServerGetsTheIdFromTheSlidesClient() throws Exception {
        try (JarProcess client = python("tcp_client.py", "127.0.0.1", "" + javaTcpPort)) {
            // input(s.recv(1000).decode('utf-8')) shows the prompt, newline included, then reads the keyboard
            client.awaitLine("^What's your student ID\\?$", LINE);
            type(client, "b07902042\n");
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            assertEquals("", client.stderr());
        }
        // input() drops the newline and the slides' client closes at once: end of stream ends the ID
        javaTcpServer.awaitLine("  ID B07902042 \\(ended by end of stream\\)$", LINE);
    }

    @Test
    void udpServerAnswersTheSlidesClient() throws Exception {
        try (JarProcess client = python("udp_client.py", "127.0.0.1", "" + javaUdpPort, "hi from python")) {
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            client.awaitLine("^received message: b'data received'$", LINE);
        }
        javaUdpServer.awaitLine("  received 14 bytes: hi from python$", LINE);
    }

    // ---- our Java servers' exact bytes, seen by raw clients ----

    @Test
    void tcpServerSendsThe24BytePromptFirstThenTheAcknowledgementAndCloses() throws Exception {
        try (RawPeer client = RawPeer.connect(javaTcpPort)) {
            // the prompt comes before the client says anything
            assertEquals(show(bytes("What's your student ID?\n")), show(client.readExactly(24)));
            client.send(bytes("b08902001\n"));
            assertEquals(show(bytes("ID received: B08902001\n")), show(client.readAll()),
                    "everything the server sent after the prompt, up to its close");
            serverLog(client, "ID B08902001 \\(ended by newline\\)");
        }
    }

    @ParameterizedTest(name = "nc sends b08902001{0}")
    @ValueSource(strings = {"\n", "\r\n"})
    void ncStyleClientSendsLineThenHalfClosesAndReadsAll(String lineEnd) throws Exception {
        try (RawPeer nc = RawPeer.connect(javaTcpPort)) {
            // echo b08902001 | nc host port: send at once, half-close, print all that comes
            nc.send(bytes("b08902001" + lineEnd)).shutdownOutput();
            assertEquals(show(bytes("What's your student ID?\nID received: B08902001\n")), show(nc.readAll()));
            serverLog(nc, "ID B08902001 \\(ended by newline\\)");
        }
    }

    @Test
    void clientThatSendsNoNewlineAndWaitsIsAnsweredAfterTheQuietPause() throws Exception {
        try (RawPeer client = RawPeer.connect(javaTcpPort)) {
            client.expectPrompt();
            long sent = System.nanoTime();
            client.send(bytes("b08902001"));   // s.send(b"b08902001"), then s.recv(): no close
            byte[] ack = client.readLine();
            long waitedMs = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertEquals(show(bytes("ID received: B08902001\n")), show(ack));
            assertTrue(waitedMs >= Protocol.QUIET_PAUSE.toMillis(),
                    "answered after " + waitedMs + " ms: before the quiet pause, so the ID was not waited for");
            assertTrue(waitedMs < Protocol.QUIET_PAUSE.toMillis() + 2_500,
                    "answered only after " + waitedMs + " ms: a waiting client is not served promptly");
            serverLog(client, "ID B08902001 \\(ended by a 500 ms pause\\)");
        }
    }

    @Test
    void idSentOneByteAtATimeIsReadWhole() throws Exception {
        try (RawPeer client = RawPeer.connect(javaTcpPort)) {
            client.socket.setTcpNoDelay(true);   // each write its own segment
            client.expectPrompt();
            for (byte b : bytes("b08902001")) {
                client.send(new byte[] {b});
                // a gap well inside the quiet pause: the server must still be waiting for the rest
                client.assertSilentFor(Duration.ofMillis(150));
            }
            client.send(bytes("\n"));
            assertEquals(show(bytes("ID received: B08902001\n")), show(client.readAll()));
            serverLog(client, "ID B08902001 \\(ended by newline\\)");
        }
    }

    @Test
    void udpServerAnswersExactly13BytesToTheSendersAddress() throws Exception {
        try (DatagramSocket client = RawPeer.udp()) {
            byte[] message = bytes("b08902001");
            client.send(new DatagramPacket(message, message.length, new InetSocketAddress(RawPeer.LOOPBACK, javaUdpPort)));
            DatagramPacket reply = RawPeer.receive(client);
            assertEquals(show(bytes("data received")), show(RawPeer.payload(reply)));
            assertEquals(new InetSocketAddress(RawPeer.LOOPBACK, javaUdpPort), reply.getSocketAddress(), "who answered");
            javaUdpServer.awaitLine("127\\.0\\.0\\.1:" + client.getLocalPort() + "  received 9 bytes: b08902001$", LINE);
        }
    }

    /** Waits for the Java tcp-server's log line about this client (found by its port). */
    private static void serverLog(RawPeer client, String what) throws InterruptedException {
        javaTcpServer.awaitLine(Pattern.quote(client.name()) + "  " + what + "$", LINE);
    }

    /** Types into a child's stdin and closes it, as a person pressing Enter and then Ctrl+D. */
    private static void type(JarProcess process, String text) throws IOException {
        OutputStream stdin = process.stdin();
        stdin.write(text.getBytes(UTF_8));
        stdin.close();
    }

    /** {@code python3 -u scripts/python/<script> args...}; -u: unbuffered, so each print is seen at once. */
    static JarProcess python(String script, String... args) throws IOException {
        Path path = Paths.get("scripts", "python", script).toAbsolutePath();
        assertTrue(Files.isRegularFile(path), path + " is missing");
        List<String> command = new ArrayList<>(List.of(System.getProperty("python", "python3"), "-u", path.toString()));
        command.addAll(List.of(args));
        try {
            return JarProcess.command(command);
        } catch (IOException e) {
            return fail("the interop tests run the slides' Python programs and need python3 on the PATH"
                    + " (or -Dpython=/path/to/python3): " + e.getMessage());
        }
    }
}
