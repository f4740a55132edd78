package lab.sockets;

import lab.sockets.tcp.TcpServer;
import lab.sockets.udp.UdpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;
import static lab.sockets.RawPeer.bytes;
import static lab.sockets.RawPeer.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tcp-client and udp-client end to end inside the test's JVM: the whole picocli command line
 * ({@link Sockets#commandLine}) with its output captured, against our servers started in-process on
 * loopback port 0, and against raw sockets that misbehave on purpose.
 */
@Tag("fast")
@Timeout(value = 30, unit = SECONDS, threadMode = SEPARATE_THREAD)
class ClientCommandsTest {
    private static final Duration LINE = Duration.ofSeconds(10);

    private final CapturedLines serverLog = new CapturedLines();
    private final Console serverConsole = new Console(serverLog.printWriter(), serverLog.printWriter(), false, true);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private TcpServer tcpServer;
    private UdpServer udpServer;

    @AfterEach
    void stopServers() {
        if (tcpServer != null) {
            tcpServer.close();
        }
        if (udpServer != null) {
            udpServer.close();
        }
    }

    /** {@code sockets args...} with {@code stdin} as the keyboard; returns the exit code. */
    private int run(InputStream stdin, String... args) {
        return InProcess.run(out, err, stdin, args);
    }

    private int run(String... args) {
        return run(InputStream.nullInputStream(), args);
    }

    private int startTcpServer() throws Exception {
        tcpServer = TcpServer.start(TcpServer.Settings.of(new InetSocketAddress(RawPeer.LOOPBACK, 0)), serverConsole);
        return tcpServer.address().getPort();
    }

    private int startUdpServer() throws Exception {
        udpServer = UdpServer.start(new InetSocketAddress(RawPeer.LOOPBACK, 0), serverConsole);
        return udpServer.address().getPort();
    }

    // ---- tcp-client ----

    @Test
    void tcpClientWithIdShowsPromptSendsIdAndPrintsTheAcknowledgement() throws Exception {
        int port = startTcpServer();
        assertEquals(0, run("tcp-client", "--host", "127.0.0.1", "--port", "" + port, "--id", "b08902001"), err.toString());
        assertLines(out, "127.0.0.1:" + port + "  connected from 127.0.0.1:\\d+",
                "127.0.0.1:" + port + "  server: What's your student ID\\?",
                "127.0.0.1:" + port + "  sent: b08902001",
                "127.0.0.1:" + port + "  server: ID received: B08902001");
        assertEquals("", err.toString());
        serverLog.await("  ID B08902001 \\(ended by newline\\)$", LINE);
    }

    @Test
    void tcpClientSendsTheLineTypedOnStdin() throws Exception {
        int port = startTcpServer();
        InputStream keyboard = new ByteArrayInputStream("b08902001\nnot this line\n".getBytes(UTF_8));
        assertEquals(0, run(keyboard, "tcp-client", "--port", "" + port), err.toString());
        assertLines(out, "connected from 127.0.0.1:\\d+", "server: What's your student ID\\?", "sent: b08902001",
                "server: ID received: B08902001");
        serverLog.await("  ID B08902001 \\(ended by newline\\)$", LINE);
    }

    @Test
    void tcpClientWithNothingOnStdinSaysHowToGiveAnId() throws Exception {
        int port = startTcpServer();
        assertEquals(1, run(InputStream.nullInputStream(), "tcp-client", "--port", "" + port));
        assertEquals("Error: no ID to send: type one after the prompt, or pass --id B08902001\n", err.toString());
        serverLog.await("  left without sending an ID$", LINE);
    }

    @Test
    void tcpClientJsonReportsTheAcknowledgementAsAField() throws Exception {
        int port = startTcpServer();
        assertEquals(0, run("tcp-client", "--port", "" + port, "--id", "b08902001", "--json"), err.toString());
        String last = out.toString().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("{\"time\":\"") && last.contains("\"event\":\"reply\"")
                && last.endsWith(",\"reply\":\"ID received: B08902001\"}"), last);
    }

    @Test
    void tcpClientToAClosedPortFailsWithOneLine() throws Exception {
        int port = RawPeer.closedPort();
        assertEquals(1, run("tcp-client", "--host", "127.0.0.1", "--port", "" + port, "--id", "x"));
        assertEquals("Error: cannot connect to 127.0.0.1:" + port + ": ECONNREFUSED (connection refused):"
                + " nothing is listening there; is the server running, and on this port?\n", err.toString());
    }

    @Test
    void tcpClientGivesUpOnAServerThatNeverSendsAPromptAfterItsTimeout() throws Exception {
        try (ServerSocket mute = RawPeer.listen()) {   // the kernel completes the handshake; nobody ever speaks
            long start = System.nanoTime();
            int code = run("tcp-client", "--port", "" + mute.getLocalPort(), "--id", "x", "--timeout", "300ms");
            long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(1, code);
            assertEquals("Error: connected to 127.0.0.1:" + mute.getLocalPort() + ", but the server sent no prompt within"
                    + " 300 ms (ETIMEDOUT): is it a sockets tcp-server, and is it overloaded?\n", err.toString());
            assertTrue(tookMs >= 300 && tookMs < 300 + 2_000, "gave up after " + tookMs + " ms with --timeout 300ms");
        }
    }

    @Test
    void tcpClientToAnUnknownHostFailsWithOneLine() {
        assertEquals(1, run("tcp-client", "--host", "no-such-host.invalid", "--id", "x"));
        assertEquals("Error: unknown host 'no-such-host.invalid': check the spelling, or use an IP address (EAI_NONAME)\n",
                err.toString());
    }

    // ---- udp-client ----

    @Test
    void udpClientSendsUtf8AndPrintsTheReplyAndWhoSentIt() throws Exception {
        int port = startUdpServer();
        assertEquals(0, run("udp-client", "--port", "" + port, "--msg", "héllo"), err.toString());
        assertLines(out, "127.0.0.1:" + port + "  sent 6 bytes: héllo",
                "127.0.0.1:" + port + "  reply from 127.0.0.1:" + port + ": data received");
        // é is two bytes in UTF-8 whatever the platform's charset: the server counted six
        serverLog.await("  received 6 bytes: héllo$", LINE);
    }

    @Test
    void udpClientSendsTheSlidesMessageByDefault() throws Exception {
        int port = startUdpServer();
        assertEquals(0, run("udp-client", "--port", "" + port), err.toString());
        serverLog.await("127\\.0\\.0\\.1:\\d+  received 13 bytes: Hello, World!$", LINE);
    }

    @Test
    void udpClientSendsAgainWhenTheFirstDatagramIsLost() throws Exception {
        try (DatagramSocket lossy = RawPeer.udp()) {
            // drops the first datagram, answers the second, as a lossy network would
            CompletableFuture<byte[]> secondTry = CompletableFuture.supplyAsync(() -> {
                try {
                    RawPeer.receive(lossy);
                    DatagramPacket again = RawPeer.receive(lossy);
                    byte[] reply = bytes("data received");
                    lossy.send(new DatagramPacket(reply, reply.length, again.getSocketAddress()));
                    return RawPeer.payload(again);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int code = run("udp-client", "--port", "" + lossy.getLocalPort(), "--msg", "hi", "--timeout", "300ms");
            assertEquals(0, code, err.toString());
            assertEquals(show(bytes("hi")), show(secondTry.get(10, TimeUnit.SECONDS)));
            assertLines(out, "sent 2 bytes: hi", "no reply within 300 ms", "sent 2 bytes: hi \\(try 2 of 4\\)",
                    "reply from 127.0.0.1:" + lossy.getLocalPort() + ": data received");
            assertEquals("", err.toString());
        }
    }

    @Test
    void udpClientGivesUpAfterItsRetriesWithOneLine() throws Exception {
        try (DatagramSocket nobody = RawPeer.udp()) {
            int code = run("udp-client", "--port", "" + nobody.getLocalPort(), "--timeout", "200ms", "--retries", "2");
            assertEquals(1, code);
            assertEquals("Error: no reply from 127.0.0.1:" + nobody.getLocalPort() + " after 3 tries, 200 ms each:"
                    + " is udp-server running there, on this port? (UDP does not tell the sender when nobody listens)\n",
                    err.toString());
            for (int i = 0; i < 3; i++) {
                assertEquals(show(bytes("Hello, World!")), show(RawPeer.payload(RawPeer.receive(nobody))), "try " + (i + 1));
            }
            nobody.setSoTimeout(100);   // the client has returned: all it sent is queued already
            assertThrows(SocketTimeoutException.class, () -> RawPeer.receive(nobody), "a fourth datagram was sent");
        }
    }

    /** Each regex matches the whole text of one output line after its time stamp, in this order, and no more lines. */
    private static void assertLines(StringWriter output, String... expected) {
        String[] lines = output.toString().split("\n");
        assertEquals(expected.length, lines.length, "lines:\n" + output);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(lines[i].matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  (.*  )?" + expected[i]),
                    "line " + (i + 1) + " should match /" + expected[i] + "/:\n" + output);
        }
    }
}
