package lab.sockets.tcp;

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

    public TcpClient(InetSocketAddress server, Duration timeout, Console console) {
        this.server = server;
        this.timeout = timeout;
        this.console = console;
    }

    /**
     * One conversation. {@code typeId} is asked for the ID once the prompt is shown (it may block on the
     * keyboard, as {@code input()} does); the ID is sent with a {@code \n}.
     *
     * @return what the server answered (empty if it closed without a word)
     */
    public byte[] converse(Supplier<String> typeId) {
        try (Socket socket = new Socket()) {
            int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
            connect(socket, millis);
            socket.setSoTimeout(millis);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();

            byte[] prompt = readPrompt(in);
            console.event("prompt", server, "server: " + Protocol.escape(stripNewline(prompt)),
                    "text_bytes", String.valueOf(prompt.length));

            String id = typeId.get();
            byte[] line = (id + "\n").getBytes(UTF_8);
            out.write(line);
            out.flush();
            console.event("send", server, "sent: " + Protocol.escape(id), "id", Protocol.escape(id));

            byte[] reply = readReply(in);
            if (reply.length == 0) {
                console.event("reply", server, "the server closed the connection without an acknowledgement");
            } else {
                console.event("reply", server, "server: " + Protocol.escape(stripNewline(reply)),
                        "reply", Protocol.escape(stripNewline(reply)));
            }
            return reply;
        } catch (SocketTimeoutException e) {
            throw new Failure("connected to " + Console.address(server) + ", but the server said nothing for "
                    + timeout.toMillis() + " ms (" + Errno.ETIMEDOUT.name()
                    + "): is it a sockets tcp-server, and is it overloaded?");
        } catch (IOException e) {
            throw new Failure("the conversation with " + Console.address(server) + " failed: " + Errno.describe(e));
        }
    }

    private void connect(Socket socket, int millis) {
        try {
            socket.connect(server, millis);
            console.event("connect", server, "connected from " + Console.address(socket.getLocalSocketAddress()));
        } catch (IOException e) {
            Errno errno = Errno.of(e);
            String where = Console.address(server);
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

    /** The slides' {@code s.recv(1000)}, made whole: reads up to the prompt's newline, as the prompt may come in pieces. */
    private static byte[] readPrompt(InputStream in) throws IOException {
        ByteArrayOutputStream prompt = new ByteArrayOutputStream(Protocol.PROMPT.length);
        int b;
        while (prompt.size() < Protocol.MAX_ID_BYTES && (b = in.read()) >= 0) {
            prompt.write(b);
            if (b == Protocol.NEWLINE) {
                break;
            }
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
