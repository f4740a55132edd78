package lab.sockets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client that sends exactly the bytes a test gives it, as a student's own buggy program or an attacker
 * would, on a real loopback socket. Every read is bounded by a timeout, so a server that hangs fails the
 * test instead of hanging it.
 */
final class RawPeer implements AutoCloseable {
    /** How a read of the server's reply ended. */
    enum End { END_OF_STREAM, RESET, TIMEOUT, LIMIT }

    /** What the server sent until the connection ended (or the wait ran out), and how it ended. */
    record Reply(byte[] bytes, End end) {
        String text() {
            return new String(bytes, UTF_8);
        }
    }

    static final String GOOD_ID = "b08902001";

    final Socket socket;

    private RawPeer(Socket socket) {
        this.socket = socket;
    }

    static RawPeer connect(int port, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            return new RawPeer(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static RawPeer connect(int port) throws IOException {
        return connect(port, Duration.ofSeconds(10));
    }

    /** {@code 127.0.0.1:52814}: how the server's console names this client. */
    String name() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** A regex matching a server console line about this client whose text contains {@code textRegex}. */
    String line(String textRegex) {
        return Pattern.quote(name()) + "  .*" + textRegex;
    }

    /** Reads the 24-byte prompt and checks it byte for byte. */
    RawPeer expectPrompt() throws IOException {
        byte[] prompt = socket.getInputStream().readNBytes(Protocol.PROMPT.length);
        assertEquals(new String(Protocol.PROMPT, UTF_8), new String(prompt, UTF_8), "the prompt");
        return this;
    }

    /** The prompt, checked byte for byte, or {@code null} if none came within {@code timeout}. */
    String promptWithin(Duration timeout) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            byte[] prompt = socket.getInputStream().readNBytes(Protocol.PROMPT.length);
            assertEquals(new String(Protocol.PROMPT, UTF_8), new String(prompt, UTF_8), "the prompt");
            return new String(prompt, UTF_8);
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    RawPeer send(byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        socket.getOutputStream().flush();
        return this;
    }

    RawPeer send(String text) throws IOException {
        return send(text.getBytes(UTF_8));
    }

    /** Everything the server sends until it closes, resets, or {@code limit} bytes; a timeout ends it too. */
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

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The acknowledgement the server must send for {@code id}: the slides' {@code bytes.upper()} of it. */
    static byte[] ackFor(byte[] id) {
        return Protocol.acknowledgement(Protocol.upperCaseAscii(id));
    }

    /** A well-behaved client (nc style: the ID and a newline) is served in full: prompt, then ack, then close. */
    static void assertGoodClientServed(int port) throws IOException {
        try (RawPeer good = connect(port)) {
            good.expectPrompt().send(GOOD_ID + "\n");
            Reply reply = good.readToEnd();
            assertEquals("ID received: B08902001\n", reply.text(), "a good client after the abuse");
            assertEquals(End.END_OF_STREAM, reply.end(), "the server closes after the acknowledgement");
        }
    }

    static void assertBytes(byte[] expected, byte[] actual, String what) {
        assertArrayEquals(expected, actual, () -> what + ": expected " + Arrays.toString(expected)
                + " but got " + Arrays.toString(actual));
    }
}
