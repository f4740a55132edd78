package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Failure;
import lab.sockets.Protocol;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The slides' TCP client, step by step, with blocking calls as in the slides:
 * <pre>
 *   s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
 *   s.connect((HOST, PORT))
 *   response = input(s.recv(1000).decode('utf-8')).encode('utf-8')
 *   s.send(response)
 * </pre>
 * and then, unlike the slides, it reads the server's acknowledgement before closing. Every wait is
 * bounded by {@code timeout}: a server that never answers is reported, not waited on forever.
 */
public final class TcpClient {
    /** The most we read of a server's acknowledgement: ours is one short line. */
    static final int MAX_REPLY_BYTES = 64 * 1024;

    private final InetSocketAddress server;
    private final Duration timeout;
    private final Console console;
    private int chunk = Integer.MAX_VALUE;
    private Duration gap = Duration.ZERO;

    public TcpClient(InetSocketAddress server, Duration timeout, Console console) {
        this.server = server;
        this.timeout = timeout;
        this.console = console;
    }

    /**
     * Sends the ID in pieces of {@code bytes}, {@code pause} apart, to show that TCP is a byte stream:
     * the server still reads one whole ID (while the slides' single {@code recv(1000)} would get a piece).
     */
    public TcpClient inPieces(int bytes, Duration pause) {
        this.chunk = bytes;
        this.gap = pause;
        return this;
    }

    /**
     * One conversation. {@code typeId} is asked for the ID once the prompt is shown (it may block on the
     * keyboard, as {@code input()} does); the ID is sent with a {@code \n}.
     *
     * @return what the server answered (empty if it closed without a word)
     */
    public byte[] converse(Supplier<String> typeId) {
        try (Socket socket = new Socket()) {
            console.explain(server, "s = socket.socket(AF_INET, SOCK_STREAM)", "new Socket()", "a TCP socket");
            int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
            connect(socket, millis);
            socket.setSoTimeout(millis);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();

            byte[] prompt;
            try {
                prompt = readPrompt(socket, in, millis);
            } catch (SocketTimeoutException e) {
                throw new Failure("connected to " + Addresses.format(server) + ", but the server sent no prompt within "
                        + millis + " ms (" + Errno.ETIMEDOUT.name() + "): is it a sockets tcp-server, and is it overloaded?");
            }
            console.explain(server, "s.recv(1000)", "InputStream.read()", Protocol.bytesCount(prompt.length) + ": "
                    + Protocol.pythonBytes(prompt, 0, prompt.length, 60));
            console.event("prompt", server, "server: " + Protocol.escape(stripNewline(prompt)),
                    "bytes", prompt.length);

            String id = typeId.get();
            console.explain(server, "response = input(prompt).encode('utf-8')", "BufferedReader.readLine()",
                    Protocol.escape(id));
            sendInPieces(out, (id + "\n").getBytes(UTF_8));
            console.event("send", server, "sent: " + Protocol.escape(id), "id", Protocol.escape(id));

            byte[] reply;
            try {
                reply = readReply(in);
            } catch (SocketTimeoutException e) {
                throw new Failure("sent the ID to " + Addresses.format(server) + ", but no acknowledgement came within "
                        + millis + " ms (" + Errno.ETIMEDOUT.name() + "): the server may be overloaded or stuck");
            }
            console.explain(server, "s.recv(1000)", "InputStream.read() until end of stream", Protocol.bytesCount(reply.length)
                    + ": " + Protocol.pythonBytes(reply, 0, reply.length, 60));
            if (reply.length == 0) {
                console.event("reply", server, "the server closed the connection without an acknowledgement");
            } else {
                console.event("reply", server, "server: " + Protocol.escape(stripNewline(reply)),
                        "reply", Protocol.escape(stripNewline(reply)));
            }
            console.explain(server, "s.close()", "Socket.close()", "connection closed");
            return reply;
        } catch (IOException e) {
            throw new Failure("the conversation with " + Addresses.format(server) + " failed: " + Errno.describe(e));
        }
    }

    private void connect(Socket socket, int millis) {
        String python = "s.connect((\"" + server.getHostString() + "\", " + server.getPort() + "))";
        String java = "Socket.connect(" + Addresses.format(server) + ", " + millis + " ms)";
        try {
            socket.connect(server, millis);
            console.explain(server, python, java, "connected from " + Addresses.format(socket.getLocalSocketAddress())
                    + " (a port the OS chose for us)");
            console.event("connect", server, "connected from " + Addresses.format(socket.getLocalSocketAddress()));
        } catch (IOException e) {
            Errno errno = Errno.of(e);
            String where = Addresses.format(server);
            console.explain(server, python, java, "failed: " + (errno == Errno.ECONNREFUSED
                    ? errno.name() + ": nothing is listening on " + where + "; is the server running?"
                    : Errno.describe(e)));
            if (errno == Errno.ECONNREFUSED) {
                throw new Failure("cannot connect to " + where + ": " + errno + ": nothing is listening there;"
                        + " is the server running, and on this port?");
            }
            if (e instanceof SocketTimeoutException || errno == Errno.ETIMEDOUT) {
                throw new Failure("cannot connect to " + where + ": no answer within " + millis + " ms ("
                        + Errno.ETIMEDOUT.name() + "); check the address, and that no firewall is in the way");
            }
            throw new Failure("cannot connect to " + where + ": " + Errno.describe(e)
                    + "; check the address and your network");
        }
    }

    /** The slides' {@code s.send(response)}, in one piece or in several with pauses between. */
    private void sendInPieces(OutputStream out, byte[] line) throws IOException {
        for (int at = 0; at < line.length; at += chunk) {
            if (at > 0 && !gap.isZero()) {
                pause(gap);
            }
            int n = Math.min(chunk, line.length - at);
            out.write(line, at, n);
            out.flush();
            console.explain(server, "s.send(response)", "OutputStream.write()", Protocol.bytesCount(n) + " sent: "
                    + Protocol.pythonBytes(line, at, n, 60));
        }
    }

    private static void pause(Duration gap) {
        try {
            Thread.sleep(gap.toMillis());   // the user asked for this pause: it is the lesson
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    /**
     * The slides' {@code s.recv(1000)}, made whole: the prompt may come in pieces, so read up to its
     * newline. A student's server may send a prompt with no newline ({@code "ID? "}), which the slides'
     * single recv() accepts; so once the prompt has begun, a quiet pause ends it, as the server does for IDs.
     */
    private static byte[] readPrompt(Socket socket, InputStream in, int millis) throws IOException {
        ByteArrayOutputStream prompt = new ByteArrayOutputStream(Protocol.PROMPT.length);
        try {
            int b;
            while (prompt.size() < Protocol.MAX_ID_BYTES && (b = in.read()) >= 0) {
                prompt.write(b);
                if (b == Protocol.NEWLINE) {
                    break;
                }
                socket.setSoTimeout((int) Protocol.QUIET_PAUSE.toMillis());
            }
        } catch (SocketTimeoutException e) {
            if (prompt.size() == 0) {
                throw e;
            }
            // a prompt without a newline, then silence: that was the whole prompt
        } finally {
            socket.setSoTimeout(millis);
        }
        return prompt.toByteArray();
    }

    /** Everything the server sends until it closes (bounded). */
    private static byte[] readReply(InputStream in) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while (reply.size() < MAX_REPLY_BYTES && (n = in.read(buffer)) >= 0) {
            reply.write(buffer, 0, n);
        }
        return reply.toByteArray();
    }

    private static byte[] stripNewline(byte[] line) {
        int n = line.length;
        if (n > 0 && line[n - 1] == Protocol.NEWLINE) {
            n--;
        }
        return Arrays.copyOf(line, n);
    }
}
