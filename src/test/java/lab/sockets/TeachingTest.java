package lab.sockets;

import lab.sockets.tcp.IterativeServer;
import lab.sockets.tcp.TcpClient;
import lab.sockets.tcp.TcpServer;
import lab.sockets.udp.UdpClient;
import lab.sockets.udp.UdpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static lab.sockets.RawPeer.bytes;
import static lab.sockets.RawPeer.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The [teaching] features: narration, the iterative server, visible UDP loss, JSON events, the demo. */
@Timeout(60)
class TeachingTest {
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void theServerClosesAtOnceAsTheSlidesDoUnlessTheClientSentMoreThanItsId() throws Exception {
        CapturedConsole server = explaining();
        try (TcpServer tcp = TcpServer.start(TcpServer.Settings.of(LOOPBACK_ANY_PORT), server.console)) {
            for (String sent : new String[] {"b08902001\n", "b08902001\nand more\n"}) {
                try (RawPeer client = RawPeer.connect(tcp.address().getPort())) {
                    client.expectPrompt().send(sent);   // one write: one read at the server
                    assertEquals(show(bytes("ID received: B08902001\n")), show(client.readAll()));
                    server.awaitOut(client.name() + "  client.close()", Duration.ofSeconds(5));
                }
            }
        }
        String[] conversations = server.out().split("client\\.close\\(\\)");
        assertFalse(conversations[0].contains("SHUT_WR"), "nothing past the ID: send, then close\n" + server.out());
        assertTrue(conversations[1].contains("client.shutdown(socket.SHUT_WR)  SocketChannel.shutdownOutput()"),
                "bytes past the ID: FIN first, then read them, then close\n" + server.out());
    }

    @Test
    void explainNarratesEverySlideStepOfTheTcpServerAndClient() throws Exception {
        CapturedConsole server = explaining();
        CapturedConsole client = explaining();
        try (TcpServer tcp = TcpServer.start(TcpServer.Settings.of(LOOPBACK_ANY_PORT), server.console)) {
            new TcpClient(tcp.address(), Duration.ofSeconds(5), client.console).converse(() -> "b08902001");
        }
        assertInOrder(server.out(),
                "s = socket.socket(AF_INET, SOCK_STREAM)  ServerSocketChannel.open(INET)",
                "s.bind((\"127.0.0.1\", 0))  ServerSocketChannel.bind(127.0.0.1:0, 4096)  bound to port ",
                "s.listen(4096)",
                "client, address = s.accept()  ServerSocketChannel.accept()",
                "client.send(b\"What's your student ID?\\n\")  SocketChannel.write()  24 bytes sent",
                "client.recv(1000)  SocketChannel.read()  10 bytes: b'b08902001\\n'",
                "student_id.upper().decode('utf-8')  Protocol.upperCaseAscii()  B08902001",
                "client.send(b\"ID received: \" + student_id + b\"\\n\")  SocketChannel.write()  23 bytes sent",
                "client.close()  SocketChannel.close()");
        assertInOrder(client.out(),
                "s = socket.socket(AF_INET, SOCK_STREAM)  new Socket()",
                "s.connect((\"127.0.0.1\", ",
                "s.recv(1000)  InputStream.read()  24 bytes: b\"What's your student ID?\\n\"",
                "response = input(prompt).encode('utf-8')",
                "s.send(response)  OutputStream.write()  10 bytes sent: b'b08902001\\n'",
                "s.recv(1000)  InputStream.read() until end of stream  23 bytes: b'ID received: B08902001\\n'",
                "s.close()  Socket.close()");
    }

    @Test
    void explainNarratesEverySlideStepOfTheUdpServerAndClient() throws Exception {
        CapturedConsole server = explaining();
        CapturedConsole client = explaining();
        try (UdpServer udp = UdpServer.start(LOOPBACK_ANY_PORT, server.console)) {
            new UdpClient(udp.address(), Duration.ofSeconds(2), client.console).send("hi".getBytes(UTF_8), 3);
            server.awaitOut("sock.sendto(b'data received', addr)", Duration.ofSeconds(5));
        }
        assertInOrder(server.out(),
                "sock = socket.socket(AF_INET, SOCK_DGRAM)  DatagramChannel.open(INET)",
                "sock.bind((\"127.0.0.1\", 0))  DatagramChannel.bind(127.0.0.1:0)  bound to port ",
                "data, addr = sock.recvfrom(1024)  DatagramChannel.receive()  2 bytes: b'hi' from 127.0.0.1:",
                "sock.sendto(b'data received', addr)  DatagramChannel.send()  13 bytes sent");
        assertInOrder(client.out(),
                "sock = socket.socket(AF_INET, SOCK_DGRAM)  new DatagramSocket()",
                "sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT))  DatagramSocket.send()  2 bytes sent",
                "data, addr = sock.recvfrom(1024)  DatagramSocket.receive()  13 bytes: b'data received'");
    }

    @Test
    void explainedConnectFailureNamesTheErrno() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CapturedConsole client = explaining();
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort);
        Failure failure = assertThrows(Failure.class,
                () -> new TcpClient(nowhere, Duration.ofSeconds(5), client.console).converse(() -> "x"));
        assertTrue(failure.getMessage().contains("ECONNREFUSED"), failure.getMessage());
        assertTrue(client.out().contains("failed: ECONNREFUSED: nothing is listening on 127.0.0.1:" + closedPort
                + "; is the server running?"), client.out());
    }

    @Test
    void chunkedIdIsShownArrivingInPiecesAndReadWhole() throws Exception {
        CapturedConsole server = explaining();
        try (TcpServer tcp = TcpServer.start(TcpServer.Settings.of(LOOPBACK_ANY_PORT), server.console)) {
            byte[] reply = new TcpClient(tcp.address(), Duration.ofSeconds(5), new CapturedConsole().console)
                    .inPieces(3, Duration.ofMillis(100)).converse(() -> "b08902001");
            assertEquals("ID received: B08902001\n", new String(reply, UTF_8));
        }
        String out = server.out();
        assertTrue(out.contains("3 bytes: b'b08' (no newline yet: TCP is a byte stream"), out);
        assertTrue(out.contains("3 bytes: b'902'"), out);
        assertTrue(out.contains("ID B08902001 (ended by newline)"), out);
    }

    @Test
    void iterativeServerMakesTheNextClientWaitForTheFirst() throws Exception {
        CapturedConsole console = new CapturedConsole();
        TcpServer.Settings settings = TcpServer.Settings.of(LOOPBACK_ANY_PORT)
                .withLimits(TcpServer.Limits.DEFAULT.withBacklog(IterativeServer.SLIDES_BACKLOG));
        try (IterativeServer server = IterativeServer.start(settings, console.console);
             RawPeer first = RawPeer.connect(server.address().getPort());
             RawPeer second = RawPeer.connect(server.address().getPort())) {
            first.expectPrompt();
            // the second client is connected (the kernel queued it) but nobody accepted it yet: an iterative
            // server must not greet it while the first is being served
            second.assertSilentFor(Duration.ofMillis(300));
            first.send("first\n");
            assertEquals(show(bytes("ID received: FIRST\n")), show(first.readAll()));
            second.expectPrompt().send("second\n");
            assertEquals(show(bytes("ID received: SECOND\n")), show(second.readAll()));
        }
    }

    @Test
    void iterativeHelpExplainsListenZero() {
        String help = run(new ByteArrayInputStream(new byte[0]), "tcp-server", "--help").out;
        assertTrue(help.contains("listen(0)") && help.contains("backlog of 1"), help);
    }

    @Test
    void droppedRepliesAreTheSameForTheSameSeed() throws Exception {
        List<String> first = lostSequenceNumbers(42);
        List<String> again = lostSequenceNumbers(42);
        assertEquals(first, again, "the same seed must drop the same datagrams");
        assertTrue(!first.isEmpty() && first.size() < 12, "with --drop 0.5, some but not all of 12 are lost: " + first);
    }

    private static List<String> lostSequenceNumbers(long seed) throws IOException {
        CapturedConsole client = new CapturedConsole();
        UdpServer.Settings settings = UdpServer.Settings.of(LOOPBACK_ANY_PORT)
                .withLoss(0.5, Duration.ofMillis(1), Duration.ofMillis(5), seed);
        UdpClient.PingSummary summary;
        try (UdpServer server = UdpServer.start(settings, new CapturedConsole().console)) {
            summary = new UdpClient(server.address(), Duration.ofMillis(250), client.console)
                    .ping("ping", 12, Duration.ZERO);
        }
        List<String> lost = new ArrayList<>();
        Matcher m = Pattern.compile("seq=(\\d+) timed out").matcher(client.out());
        while (m.find()) {
            lost.add(m.group(1));
        }
        assertEquals(12 - summary.received(), lost.size(), client.out());
        assertTrue(client.out().contains("12 sent, " + summary.received() + " received, "), client.out());
        assertTrue(client.out().contains("round trip min/avg/max = "), client.out());
        return lost;
    }

    @Test
    void pingLinesShowEachReplyAndItsRoundTrip() throws Exception {
        try (UdpServer server = UdpServer.start(LOOPBACK_ANY_PORT, new CapturedConsole().console)) {
            Result result = run(new ByteArrayInputStream(new byte[0]), "udp-client", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.address().getPort()), "--count", "3", "--interval", "10ms");
            assertEquals(0, result.exitCode, result.err);
            for (int seq = 1; seq <= 3; seq++) {
                assertTrue(Pattern.compile("reply from 127\\.0\\.0\\.1:\\d+: data received  seq=" + seq + " time=\\d+\\.\\d ms")
                        .matcher(result.out).find(), result.out);
            }
            assertTrue(result.out.contains("3 sent, 3 received, 0% loss, round trip min/avg/max = "), result.out);
        }
    }

    @Test
    void jsonEventsParseWithARealJsonParser() throws Exception {
        CapturedConsole server = new CapturedConsole(true);
        String tricky = "q\"uote\\back\u0001ctl\u001b[2J\u2028é學🎓";
        try (TcpServer tcp = TcpServer.start(TcpServer.Settings.of(LOOPBACK_ANY_PORT), server.console)) {
            new TcpClient(tcp.address(), Duration.ofSeconds(5), new CapturedConsole().console).converse(() -> tricky);
        }
        server.awaitOut("\"event\":\"id\"", Duration.ofSeconds(5));
        Path events = Files.createTempFile("events", ".jsonl");
        try {
            Files.writeString(events, server.out(), UTF_8);
            String script = "import json,sys\n"
                    + "ids=[]\n"
                    + "for line in open(sys.argv[1], encoding='utf-8'):\n"
                    + "    e=json.loads(line)\n"
                    + "    assert set(['time','event','peer','text']) <= set(e), e\n"
                    + "    if e['event']=='id': ids.append(e['id'])\n"
                    + "print(json.dumps(ids))\n";
            Process python = new ProcessBuilder("python3", "-c", script, events.toString()).start();
            String printed = new String(python.getInputStream().readAllBytes(), UTF_8).trim();
            String errors = new String(python.getErrorStream().readAllBytes(), UTF_8);
            assertEquals(0, python.waitFor(), errors);
            // the ID as escaped for display, upper-cased ASCII only, read back by Python's own parser
            String expected = "Q\\\"UOTE\\\\\\\\BACK\\\\x01CTL\\\\x1b[2J\\\\u2028\\u00e9\\u5b78\\ud83c\\udf93";
            assertEquals("[\"" + expected + "\"]", printed);
        } finally {
            Files.deleteIfExists(events);
        }
    }

    @Test
    void demoRunsTheWholeLabAndExitsZero() {
        Result result = run(new ByteArrayInputStream(new byte[0]), "demo");
        assertEquals(0, result.exitCode, result.err);
        assertInOrder(result.out, "== TCP", "server  s = socket.socket(AF_INET, SOCK_STREAM)",
                "client  127.0.0.1:", "ID B08902001 (ended by newline)", "server: ID received: B08902001",
                "== UDP", "reply from 127.0.0.1:", "data received");
        // the two ends run on their own threads: the server's narration of sendto() may follow the client's reply line
        assertInOrder(result.out, "== UDP", "sock.sendto(b'data received', addr)", "== That was the lab");
        // in the order things happen: what a client sends is told before the server tells it received it
        assertInOrder(result.out, "client  127.0.0.1:", "sent: b08902001", "server  127.0.0.1:", "ID B08902001");
        assertInOrder(result.out, "== UDP", "client  127.0.0.1:", "sent 13 bytes: Hello, World!",
                "server  127.0.0.1:", "received 13 bytes: Hello, World!");
        result.out.lines().filter(line -> line.length() > Console.WIDTH).findFirst()
                .ifPresent(line -> fail("a demo line wider than " + Console.WIDTH + " columns: " + line));
    }

    @Test
    void shellCompletionScriptIsGenerated() {
        Result result = run(new ByteArrayInputStream(new byte[0]), "generate-completion");
        assertEquals(0, result.exitCode, result.err);
        assertTrue(result.out.contains("complete -F") && result.out.contains("tcp-server"), result.out);
    }

    private static CapturedConsole explaining() {
        return new CapturedConsole(false, true);
    }

    static void assertInOrder(String text, String... parts) {
        int at = 0;
        for (String part : parts) {
            int found = text.indexOf(part, at);
            if (found < 0) {
                throw new AssertionError("missing, or out of order: '" + part + "' in:\n" + text);
            }
            at = found + part.length();
        }
    }

    record Result(int exitCode, String out, String err) {}

    static Result run(InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = InProcess.run(out, err, stdin, args);
        return new Result(code, out.toString(), err.toString());
    }
}
