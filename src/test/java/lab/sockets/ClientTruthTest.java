package lab.sockets;

import lab.sockets.tcp.TcpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static lab.sockets.RawPeer.bytes;
import static lab.sockets.RawPeer.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * The clients tell the truth ([lab-day]): tcp-client exits 0 only when its ID was acknowledged, and says
 * in one {@code Error:} line what happened otherwise; its waits all end; its narration shows only calls
 * that ran; udp-client pings from one socket. Each server here is a raw loopback socket playing one
 * misbehaviour (busy, closing, silent, refusing, slow), and the client runs in-process through the whole
 * command line ({@link Sockets#commandLine}).
 */
@Timeout(value = 30, unit = SECONDS, threadMode = SEPARATE_THREAD)
class ClientTruthTest {
    private static final Duration LINE = Duration.ofSeconds(10);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    /** A keyboard nobody types on: reads block until the test ends. */
    private final PipedOutputStream keys = new PipedOutputStream();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        keys.close();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ---- tcp-client: every way a conversation can fail is exit 1 and one line ----

    @Test
    void aBusyServerIsReportedAndNoIdIsSent() throws Exception {
        try (ServerSocket busy = RawPeer.listen()) {
            CompletableFuture<byte[]> sent = playServer(busy, peer -> {
                peer.send(Protocol.BUSY);
                peer.shutdownOutput();
                return peer.readAll();   // what the client sent before closing: nothing
            });
            int code = run(new ByteArrayInputStream(bytes("b08902001\n")), "tcp-client", "--port", "" + busy.getLocalPort());
            assertEquals(1, code, out.toString());
            assertEquals("Error: 127.0.0.1:" + busy.getLocalPort() + " is busy: it serves as many clients as it may,"
                    + " and closed the connection without asking for an ID; run tcp-client again in a moment\n", err.toString());
            assertFalse(out.toString().contains("sent:"), out.toString());
            assertEquals(show(new byte[0]), show(sent.get(10, SECONDS)), "the client sent an ID to a busy server");
        }
    }

    @Test
    void aServerClosingWhileTheStudentTypesIsReportedAtOnceNotAfterEnter() throws Exception {
        try (ServerSocket closing = RawPeer.listen()) {
            playServer(closing, peer -> {
                peer.send(Protocol.PROMPT);
                peer.assertSilentFor(Duration.ofMillis(1100));   // the student is typing: the server's idle timeout runs
                peer.close();
                return null;
            });
            long start = System.nanoTime();
            int code = run(keyboardNobodyTypesOn(), "tcp-client", "--port", "" + closing.getLocalPort());
            long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(1, code, out.toString());
            String error = err.toString();
            assertTrue(error.matches("Error: 127\\.0\\.0\\.1:" + closing.getLocalPort() + " closed the connection after"
                    + " \\d+(\\.\\d)? s, before the ID was sent: most likely its idle timeout \\(a sockets tcp-server waits"
                    + " 60 s by default\\); run tcp-client again and type the ID sooner, or pass it with --id\n"), error);
            assertTrue(tookMs < 5_000, "reported after " + tookMs + " ms, for a server that closed after 1100 ms");
            assertFalse(out.toString().contains("sent:"), out.toString());
        }
    }

    /** A server that closes at once did not wait for the student: no talk of an idle timeout then. */
    @Test
    void aServerClosingRightAfterThePromptIsNotCalledAnIdleTimeout() throws Exception {
        try (ServerSocket closing = RawPeer.listen()) {
            playServer(closing, peer -> {
                peer.send(Protocol.PROMPT);
                peer.close();
                return null;
            });
            int code = run(keyboardNobodyTypesOn(), "tcp-client", "--port", "" + closing.getLocalPort());
            assertEquals(1, code, out.toString());
            String error = err.toString();
            assertTrue(error.matches("Error: 127\\.0\\.0\\.1:" + closing.getLocalPort() + " closed the connection after"
                    + " 0(\\.\\d)? s, before the ID was sent; is it stopping\\? Run tcp-client again, and ask the TA if it"
                    + " happens again\n"), error);
        }
    }

    @Test
    void aServerThatClosesWithoutAnAcknowledgementIsAFailure() throws Exception {
        try (ServerSocket mute = RawPeer.listen()) {
            CompletableFuture<byte[]> id = playServer(mute, peer -> {
                peer.send(Protocol.PROMPT);
                byte[] line = peer.readLine();
                peer.close();
                return line;
            });
            int code = run("tcp-client", "--port", "" + mute.getLocalPort(), "--id", "b08902001");
            assertEquals(1, code, out.toString());
            assertEquals("Error: sent the ID to 127.0.0.1:" + mute.getLocalPort() + ", but the server closed the connection"
                    + " without an acknowledgement, so it may not have recorded it; ask the TA, or run tcp-client again"
                    + " (the slides' own server never answers: with it, pass --no-ack)\n", err.toString());
            assertEquals(show(bytes("b08902001\n")), show(id.get(10, SECONDS)));
        }
    }

    @Test
    void anEmptyIdIsSentAndTheServersRefusalIsShownWithItsReason() throws Exception {
        try (ServerSocket refusing = RawPeer.listen()) {
            CompletableFuture<byte[]> id = playServer(refusing, peer -> {
                peer.send(Protocol.PROMPT);
                byte[] line = peer.readLine();
                peer.send(bytes("ID not recorded: empty ID\n"));
                peer.shutdownOutput();
                return line;
            });
            int code = run(new ByteArrayInputStream(bytes("\n")), "tcp-client", "--port", "" + refusing.getLocalPort());
            assertEquals(1, code, out.toString());
            assertEquals("Error: 127.0.0.1:" + refusing.getLocalPort() + " did not record the ID: empty ID;"
                    + " check the ID, then run tcp-client again\n", err.toString());
            assertEquals(show(bytes("\n")), show(id.get(10, SECONDS)), "the client sends the empty ID: the server decides");
            assertTrue(out.toString().contains("  server: ID not recorded: empty ID\n"), out.toString());
        }
    }

    @Test
    void waitingForTheTypedIdEndsAfterTypeTimeout() throws Exception {
        try (ServerSocket patient = RawPeer.listen()) {
            playServer(patient, peer -> {
                peer.send(Protocol.PROMPT);
                return peer.readAll();   // until the client gives up and closes
            });
            long start = System.nanoTime();
            int code = run(keyboardNobodyTypesOn(), "tcp-client", "--port", "" + patient.getLocalPort(), "--type-timeout", "300ms");
            long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(1, code, out.toString() + err);
            assertEquals("Error: no ID typed within 300ms (--type-timeout): run tcp-client again and type the ID,"
                    + " or pass it with --id\n", err.toString());
            assertTrue(tookMs >= 300 && tookMs < 5_000, "gave up after " + tookMs + " ms");
        }
    }

    @Test
    void typeTimeoutsDefaultIsShownInTheHelp() {
        assertEquals(0, run("tcp-client", "--help"));
        String help = out.toString();
        int at = help.indexOf("--type-timeout=DURATION");
        assertTrue(at >= 0 && help.indexOf("Default: 5m", at) > at, help);
    }

    /**
     * Before our server's idle timeout closes the connection, the student still typing is warned, once
     * (here 0.75 s before a 1.5 s timeout: half of it, when that is less than the usual 10 s).
     */
    @Test
    void aStudentStillTypingIsWarnedBeforeOurServersIdleTimeout() throws Exception {
        Duration idle = Duration.ofMillis(1500);
        ServerSocket ours = RawPeer.listen();
        toClose.add(ours);
        playServer(ours, peer -> {
            peer.send(Protocol.PROMPT);
            peer.assertSilentFor(idle);
            peer.close();
            return null;
        });
        CapturedConsole client = new CapturedConsole();
        InputStream keyboard = keyboardNobodyTypesOn();
        InetSocketAddress address = new InetSocketAddress(RawPeer.LOOPBACK, ours.getLocalPort());
        Failure failure = assertThrows(Failure.class, () -> new TcpClient(address, Duration.ofSeconds(5), client.console)
                .serverIdleTimeout(idle).converse(() -> {
                    try {
                        return new String(keyboard.readAllBytes(), UTF_8);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        assertTrue(failure.getMessage().contains(" before the ID was sent: most likely its idle timeout"), failure.getMessage());
        String[] lines = client.out().split("\n");
        assertEquals(3, lines.length, client.out());
        assertTrue(lines[2].matches(".*  still no ID: a sockets tcp-server closes a silent connection after 1\\.5 s;"
                + " type the ID and press Enter within 0\\.\\d s"), client.out());
    }

    /** {@code --timeout} is one limit for the whole conversation, not one per step. */
    @Test
    void timeoutBoundsConnectPromptAndAcknowledgementTogether() throws Exception {
        try (ServerSocket slow = RawPeer.listen()) {
            playServer(slow, peer -> {
                // each step well within 800 ms, both together not; meanwhile the client must say nothing
                peer.assertSilentFor(Duration.ofMillis(500));
                peer.send(Protocol.PROMPT);
                peer.readLine();
                peer.assertSilentFor(Duration.ofMillis(500));
                peer.send(bytes("ID received: B08902001\n"));
                peer.shutdownOutput();
                return null;
            });
            int code = run("tcp-client", "--port", "" + slow.getLocalPort(), "--id", "b08902001", "--timeout", "800ms");
            assertEquals(1, code, out.toString());
            assertTrue(err.toString().startsWith("Error: sent the ID to 127.0.0.1:" + slow.getLocalPort()
                    + ", but no acknowledgement came within 800 ms (ETIMEDOUT)"), err.toString());
        }
    }

    @Test
    void explainWithIdNarratesWhereTheIdCameFromNotAReadLineThatNeverRan() throws Exception {
        ServerSocket server = RawPeer.listen();
        toClose.add(server);
        playServer(server, peer -> {
            peer.send(Protocol.PROMPT);
            peer.readLine();
            peer.send(bytes("ID received: B08902001\n"));
            peer.shutdownOutput();
            return peer.readAll();
        });
        assertEquals(0, run("tcp-client", "--port", "" + server.getLocalPort(), "--id", "b08902001", "--explain"),
                err.toString());
        assertTrue(out.toString().contains("  response = input(prompt).encode('utf-8')  not called: the ID came from --id  b08902001\n"),
                out.toString());
        assertFalse(out.toString().contains("readLine"), out.toString());
    }

    // ---- udp-client ----

    @Test
    void pingSendsEveryDatagramFromOneSocketAsTheSlidesDo() throws Exception {
        try (DatagramSocket server = RawPeer.udp()) {
            CompletableFuture<List<Integer>> ports = CompletableFuture.supplyAsync(() -> answer(server, 3, 0), ClientTruthTest::onItsOwnThread);
            assertEquals(0, run("udp-client", "--port", "" + server.getLocalPort(), "--count", "3", "--interval", "10ms"),
                    err.toString());
            List<Integer> from = ports.get(10, SECONDS);
            assertEquals(List.of(from.get(0), from.get(0), from.get(0)), from, "source ports of the three pings");
        }
    }

    /** With one socket, a reply after its timeout may come while the next ping waits: it is named late, not counted. */
    @Test
    void aLateReplyIsReportedAsLateNotTakenForTheNextOnesReply() throws Exception {
        try (DatagramSocket server = RawPeer.udp()) {
            CompletableFuture<List<Integer>> ports = CompletableFuture.supplyAsync(() -> answer(server, 3, 1), ClientTruthTest::onItsOwnThread);
            int code = run("udp-client", "--port", "" + server.getLocalPort(), "--count", "3", "--timeout", "200ms",
                    "--interval", "1500ms");
            ports.get(10, SECONDS);
            assertEquals(0, code, err.toString());
            String text = out.toString();
            assertTrue(text.contains("seq=1 timed out (no reply within 200 ms)"), text);
            assertTrue(text.contains("late reply from 127.0.0.1:" + server.getLocalPort()
                    + ": data received (to an earlier datagram; not counted)"), text);
            assertTrue(text.contains("3 sent, 2 received, 33% loss"), text);
        }
    }

    // ---- helpers ----

    /** {@code sockets args...} with {@code stdin} as the keyboard; returns the exit code. */
    private int run(InputStream stdin, String... args) {
        return InProcess.run(out, err, stdin, args);
    }

    private int run(String... args) {
        return run(InputStream.nullInputStream(), args);
    }

    private InputStream keyboardNobodyTypesOn() throws IOException {
        return new PipedInputStream(keys);
    }

    /** What a raw server does with its one client. */
    private interface Script<T> {
        T play(RawPeer client) throws Exception;
    }

    /** Accepts one client of {@code listener} and plays {@code script} with it, on a thread of its own. */
    private static <T> CompletableFuture<T> playServer(ServerSocket listener, Script<T> script) {
        return CompletableFuture.supplyAsync(() -> {
            try (RawPeer client = RawPeer.accept(listener)) {
                return script.play(client);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, ClientTruthTest::onItsOwnThread);
    }

    /** A thread per raw peer: they block, so none may wait for a pool's free thread. */
    private static void onItsOwnThread(Runnable peer) {
        Thread thread = new Thread(peer, "raw-peer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Answers {@code count} datagrams with the slides' reply; the reply to datagram {@code late} (1-based;
     * 0 for none) only after 400 ms. Returns the source port of each datagram.
     */
    private static List<Integer> answer(DatagramSocket server, int count, int late) {
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                DatagramPacket ping = RawPeer.receive(server);
                ports.add(ping.getPort());
                if (i == late) {
                    // the lesson: a reply after the client's timeout (200 ms), before its next ping (1500 ms)
                    server.setSoTimeout(400);
                    assertThrows(SocketTimeoutException.class, () -> RawPeer.receive(server), "a datagram before the next ping");
                    server.setSoTimeout((int) RawPeer.READ_TIMEOUT.toMillis());
                }
                server.send(new DatagramPacket(Protocol.UDP_REPLY, Protocol.UDP_REPLY.length, ping.getSocketAddress()));
            }
            return ports;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
