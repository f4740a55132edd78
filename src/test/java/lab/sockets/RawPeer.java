package lab.sockets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Raw sockets for tests that check the exact bytes on the wire, as a peer that is not ours sends and sees
 * them (a student's own buggy client or server, {@code nc}, an attacker). An instance is one end of a TCP
 * connection, {@link #connect connected} or {@link #accept accepted}; the static part holds the listening
 * and UDP sockets such tests need, and the checks they share. Everything is on loopback, and every
 * blocking call has a timeout, so a peer that hangs fails the test instead of hanging it.
 */
final class RawPeer implements AutoCloseable {
    /** How a read of the other end's reply ended. */
    enum End { END_OF_STREAM, RESET, TIMEOUT, LIMIT }

    /** What the other end sent until the connection ended (or the wait ran out), and how it ended. */
    record Reply(byte[] bytes, End end) {
        String text() {
            return new String(bytes, UTF_8);
        }
    }

    static final String GOOD_ID = "b08902001";
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The longest a read on a live loopback connection may wait: far above loopback latency. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** The longest a wait for a child process to connect or send may take: far above JVM start-up. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    final Socket socket;

    private RawPeer(Socket socket, Duration readTimeout) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) readTimeout.toMillis());
    }

    // ---- one TCP connection ----

    static RawPeer connect(int port, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return new RawPeer(socket, readTimeout);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static RawPeer connect(int port) throws IOException {
        return connect(port, READ_TIMEOUT);
    }

    /** A listening socket on loopback, port chosen by the OS, whose accept() waits at most {@link #START_TIMEOUT}. */
    static ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        server.setSoTimeout((int) START_TIMEOUT.toMillis());
        return server;
    }

    /** The next client of {@code server}, with reads bounded (a read timeout is not inherited from the listener). */
    static RawPeer accept(ServerSocket server) throws IOException {
        return new RawPeer(server.accept(), READ_TIMEOUT);
    }

    /** A port on which nothing listens (it was free a moment ago; nothing on loopback takes it meanwhile). */
    static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    /** {@code 127.0.0.1:52814}: how the server's console names this client. */
    String name() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** A regex matching a server console line about this client whose text contains {@code textRegex}. */
    String line(String textRegex) {
        return Pattern.quote(name()) + "  .*(?:" + textRegex + ")";   // the group keeps a | inside it
    }

    RawPeer send(byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        socket.getOutputStream().flush();
        return this;
    }

    RawPeer send(String text) throws IOException {
        return send(text.getBytes(UTF_8));
    }

    /** Half-closes: sends FIN, as {@code nc} does at the end of its input, and can still read. */
    RawPeer shutdownOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** Reads the 24-byte prompt and checks it byte for byte. */
    RawPeer expectPrompt() throws IOException {
        assertEquals(show(Protocol.PROMPT), show(readExactly(Protocol.PROMPT.length)), "the prompt");
        return this;
    }

    /** The prompt, checked byte for byte, or {@code null} if none came within {@code timeout}. */
    String promptWithin(Duration timeout) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            byte[] prompt = socket.getInputStream().readNBytes(Protocol.PROMPT.length);
            assertEquals(show(Protocol.PROMPT), show(prompt), "the prompt");
            return new String(prompt, UTF_8);
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** Reads exactly {@code n} bytes, or fails saying what came instead. */
    byte[] readExactly(int n) throws IOException {
        byte[] data = socket.getInputStream().readNBytes(n);
        if (data.length != n) {
            throw new AssertionError("expected " + n + " bytes, the stream ended after " + show(data));
        }
        return data;
    }

    /** Bytes up to and including the first {@code \n}, or to end of stream. */
    byte[] readLine() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }

    /** Everything until end of stream; a reset or a timeout throws, so the bytes are only ever all of them. */
    byte[] readAll() throws IOException {
        return socket.getInputStream().readAllBytes();
    }

    /** Everything the other end sends until it closes, resets, or {@code limit} bytes; a timeout ends it too. */
    Reply readToEnd(int limit) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            while (all.size() < limit) {
                int n = in.read(buffer, 0, Math.min(buffer.length, limit - all.size()));
                if (n < 0) {
                    return new Reply(all.toByteArray(), End.END_OF_STREAM);
                }
                all.write(buffer, 0, n);
            }
            return new Reply(all.toByteArray(), End.LIMIT);
        } catch (SocketTimeoutException e) {
            return new Reply(all.toByteArray(), End.TIMEOUT);
        } catch (SocketException e) {
            return new Reply(all.toByteArray(), End.RESET);
        }
    }

    Reply readToEnd() throws IOException {
        return readToEnd(64 * 1024);
    }

    /** Fails if the other end sends anything (or closes) within {@code quiet}; restores the read timeout. */
    void assertSilentFor(Duration quiet) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) quiet.toMillis());
        try {
            int b = socket.getInputStream().read();
            throw new AssertionError("the peer was expected to stay silent for " + quiet.toMillis()
                    + " ms, but sent " + (b < 0 ? "end of stream" : show(new byte[] {(byte) b})));
        } catch (SocketTimeoutException expected) {
            // silent, as it should be
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /**
     * Sends {@code text} one byte at a time, {@code gap} apart, on a thread of its own, as a person typing.
     * It stops after the last byte, when a send fails (the other end closed), or when closed.
     */
    Typing typeSlowly(byte[] text, Duration gap) {
        return new Typing(this, text, gap);
    }

    /** Closes with a reset (RST) instead of FIN, as a crashed client's kernel or a firewall does. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A {@link #typeSlowly} in progress. */
    static final class Typing implements AutoCloseable {
        private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        private int typed;

        private Typing(RawPeer peer, byte[] text, Duration gap) {
            clock.scheduleAtFixedRate(() -> {
                int next = typed();
                if (next == text.length) {
                    throw new IllegalStateException("all typed");   // ends the schedule
                }
                try {
                    peer.send(new byte[] {text[next]});
                } catch (IOException closedByTheOtherEnd) {
                    throw new IllegalStateException(closedByTheOtherEnd);   // ends the schedule
                }
                synchronized (this) {
                    typed = next + 1;
                    notifyAll();
                }
            }, 0, gap.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** How many bytes were sent so far. */
        synchronized int typed() {
            return typed;
        }

        /** Waits until {@code n} bytes were sent; false if that did not happen within {@code timeout}. */
        synchronized boolean awaitTyped(int n, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            for (long left = timeout.toNanos(); typed < n; left = end - System.nanoTime()) {
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        @Override
        public void close() {
            clock.shutdownNow();
        }
    }

    // ---- UDP ----

    /** A UDP socket on loopback, port chosen by the OS, whose receive() waits at most {@link #START_TIMEOUT}. */
    static DatagramSocket udp() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout((int) START_TIMEOUT.toMillis());
        return socket;
    }

    /** The next datagram. */
    static DatagramPacket receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return packet;
    }

    static byte[] payload(DatagramPacket packet) {
        return Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
    }

    /** The slides' UDP server for one datagram: answers {@code data received} to its sender; returns what came. */
    static byte[] answerOne(DatagramSocket server) throws IOException {
        DatagramPacket request = receive(server);
        server.send(new DatagramPacket(Protocol.UDP_REPLY, Protocol.UDP_REPLY.length, request.getSocketAddress()));
        return payload(request);
    }

    // ---- checks the tests share ----

    /** A well-behaved client (nc style: the ID and a newline) is served in full: prompt, then ack, then close. */
    static void assertGoodClientServed(int port) throws IOException {
        try (RawPeer good = connect(port)) {
            good.expectPrompt().send(GOOD_ID + "\n");
            Reply reply = good.readToEnd();
            assertEquals("ID received: B08902001\n", reply.text(), "a good client after the abuse");
            assertEquals(End.END_OF_STREAM, reply.end(), "the server closes after the acknowledgement");
        }
    }

    /** A UDP server on loopback {@code port} is up and serving: one datagram is answered with {@code data received}. */
    static void assertUdpServed(int port) throws IOException {
        try (DatagramSocket client = udp()) {
            byte[] hi = bytes("hi");
            client.send(new DatagramPacket(hi, hi.length, new InetSocketAddress(LOOPBACK, port)));
            assertEquals(show(Protocol.UDP_REPLY), show(payload(receive(client))), "the reply to a datagram");
        }
    }

    /** The acknowledgement the server must send for {@code id}: the slides' {@code bytes.upper()} of it. */
    static byte[] ackFor(byte[] id) {
        return Protocol.acknowledgement(Protocol.upperCaseAscii(id));
    }

    static void assertBytes(byte[] expected, byte[] actual, String what) {
        assertArrayEquals(expected, actual, () -> what + ": expected " + Arrays.toString(expected)
                + " but got " + Arrays.toString(actual));
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    /**
     * Bytes as readable text for assertion messages: control bytes and invalid UTF-8 escaped
     * ({@code \x0a}), with the length, so that {@code assertEquals(show(a), show(b))} pinpoints a
     * difference a plain string comparison would hide (a CR, a missing newline, a NUL).
     */
    static String show(byte[] data) {
        return data.length + " bytes: " + Protocol.escape(data);
    }
}
