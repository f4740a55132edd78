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
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Raw sockets for tests that check the exact bytes on the wire: what a peer that is not ours (a student's
 * code, {@code nc}, the slides' Python) would send and see. Everything is on loopback, and every blocking
 * call has a timeout, so a wrong peer fails the test instead of hanging it.
 */
final class Wire {
    private Wire() {}

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The longest any single read in a test may wait: far above loopback latency and JVM start-up. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    /** A TCP connection to {@code port} on loopback, with reads bounded by {@link #READ_TIMEOUT}. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(LOOPBACK, port), (int) READ_TIMEOUT.toMillis());
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return socket;
    }

    /** A listening socket on loopback, port chosen by the OS, whose accept() is bounded too. */
    static ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        server.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return server;
    }

    /** The next client of {@code server}, with reads bounded (a read timeout is not inherited from the listener). */
    static Socket accept(ServerSocket server) throws IOException {
        Socket socket = server.accept();
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return socket;
    }

    /** A UDP socket on loopback, port chosen by the OS, whose receive() is bounded. */
    static DatagramSocket udp() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return socket;
    }

    /** A port on which nothing listens (it was free a moment ago; nothing on loopback takes it meanwhile). */
    static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    /** Reads exactly {@code n} bytes, or fails saying what came instead. */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length != n) {
            throw new AssertionError("expected " + n + " bytes, the stream ended after " + data.length + ": " + show(data));
        }
        return data;
    }

    /** Everything until end of stream. */
    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /** Bytes up to and including the first {@code \n}, or to end of stream. */
    static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }

    /** Fails if the peer sends anything (or closes) within {@code quiet}; restores the socket's read timeout. */
    static void assertSilentFor(Socket socket, Duration quiet) throws IOException {
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

    /** One datagram's payload. */
    static DatagramPacket receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return packet;
    }

    static byte[] payload(DatagramPacket packet) {
        return Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
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
