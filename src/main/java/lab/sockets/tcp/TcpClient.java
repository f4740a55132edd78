package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.DurationConverter;
import lab.sockets.Errno;
import lab.sockets.Failure;
import lab.sockets.Narration;
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
 * and then, unlike the slides, it reads the server's acknowledgement before closing, and fails (a
 * {@link Failure}) unless the ID was acknowledged: a busy server, one that closed before the ID was sent,
 * one that answered nothing, or one that refused the ID ({@link Protocol#NOT_RECORDED_PREFIX}) is reported.
 * Every wait has a limit: {@code timeout} bounds the waits on the server, connecting, the prompt and
 * the acknowledgement together; {@code typeTimeout} bounds the wait for the student's typing.
 */
public final class TcpClient {
    /** The most we read of a server's acknowledgement: ours is one short line. */
    static final int MAX_REPLY_BYTES = 64 * 1024;
    /** How long a student may take to type the ID, when the server does not close sooner. */
    public static final Duration DEFAULT_TYPE_TIMEOUT = Duration.ofMinutes(5);
    /** How long before our server's idle timeout the student is warned, if still typing. */
    static final Duration WARN_BEFORE = Duration.ofSeconds(10);

    private final InetSocketAddress server;
    private final Duration timeout;
    private final Console console;
    private final Narration narration;
    private int chunk = Integer.MAX_VALUE;
    private Duration gap = Duration.ZERO;
    private Duration typeTimeout = DEFAULT_TYPE_TIMEOUT;
    private Duration serverIdleTimeout;     // null: TcpServer's default, looked up only when someone types
    private boolean ackExpected = true;

    /** @param timeout the longest wait on the server in all: connecting, its prompt and its acknowledgement */
    public TcpClient(InetSocketAddress server, Duration timeout, Console console) {
        this.server = server;
        this.timeout = timeout;
        this.console = console;
        this.narration = new Narration(console);
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

    /** The longest wait for the typed ID ({@code --type-timeout}). */
    public TcpClient typeTimeout(Duration limit) {
        this.typeTimeout = limit;
        return this;
    }

    /**
     * The idle timeout a server sending our prompt is assumed to have, to warn the student before it
     * closes the connection ({@link TcpServer#DEFAULT_IDLE_TIMEOUT} unless told otherwise).
     */
    public TcpClient serverIdleTimeout(Duration idle) {
        this.serverIdleTimeout = idle;
        return this;
    }

    /** The slides' own server closes without a word after its {@code recv()}: accept that as success. */
    public TcpClient noAcknowledgementExpected() {
        this.ackExpected = false;
        return this;
    }

    /**
     * One conversation. {@code typeId} is asked for the ID once the prompt is shown (it may block on the
     * keyboard, as {@code input()} does); meanwhile the server is watched, so that if it closes the
     * connection the student hears of it at once. The ID is sent with a {@code \n}.
     *
     * @return what the server answered (empty only with {@link #noAcknowledgementExpected})
     */
    public byte[] converse(Supplier<String> typeId) {
        return converse(null, typeId);
    }

    /** As {@link #converse(Supplier)}, with the ID given in advance ({@code --id}): nothing is typed. */
    public byte[] converse(String id) {
        return converse(id, null);
    }

    private byte[] converse(String givenId, Supplier<String> typeId) {
        try (Socket socket = new Socket()) {
            narration.clientSocket(server, true);
            Budget budget = new Budget(timeout);
            connect(socket, budget);
            long connectedAt = System.nanoTime();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();

            byte[] prompt = receivePrompt(socket, in, budget);
            ReplyReader reader = ReplyReader.start(socket, in);   // reads until the server closes

            String id;
            if (givenId != null) {
                id = givenId;
                narration.input(server, false, id);
            } else {
                long typingSince = System.nanoTime();
                // our prompt: the server is probably ours, so its idle timeout is known (to warn before it)
                Duration idle = Arrays.equals(prompt, Protocol.PROMPT) ? idleTimeout() : null;
                id = new Typing(server, console, reader, typeTimeout).await(typeId, connectedAt, idle);
                budget.exclude(typingSince);
                narration.input(server, true, id);
            }
            sendInPieces(out, (id + "\n").getBytes(UTF_8), budget, id);

            ReplyReader.Heard reply = reader.await(budget);
            if (reply == null) {
                throw new Failure("sent the ID to " + Addresses.format(server) + ", but no acknowledgement came within "
                        + budget.millis() + " ms (" + Errno.ETIMEDOUT.name() + "): the server may be overloaded or stuck;"
                        + " ask the TA whether your ID arrived");
            }
            narration.clientRecv(server, "InputStream.read() until end of stream", reply.bytes());
            acknowledged(reply);
            narration.clientClose(server);
            return reply.bytes();
        } catch (IOException e) {
            throw new Failure("the conversation with " + Addresses.format(server) + " failed: " + Errno.describe(e));
        }
    }

    private void connect(Socket socket, Budget budget) throws SocketTimeoutException {
        int millis = budget.millisLeft();
        try {
            socket.connect(server, millis);
            narration.connect(server, millis, socket.getLocalSocketAddress(), null);
            console.event("connect", server, "connected from " + Addresses.format(socket.getLocalSocketAddress()));
        } catch (IOException e) {
            Errno errno = Errno.of(e);
            String where = Addresses.format(server);
            narration.connect(server, millis, null, e);
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

    /** The prompt, shown; or a {@link Failure} if none came, or if the server said it is busy instead. */
    private byte[] receivePrompt(Socket socket, InputStream in, Budget budget) throws IOException {
        byte[] prompt;
        try {
            prompt = readPrompt(socket, in, budget);
        } catch (SocketTimeoutException e) {
            throw new Failure("connected to " + Addresses.format(server) + ", but the server sent no prompt within "
                    + budget.millis() + " ms (" + Errno.ETIMEDOUT.name() + "): is it a sockets tcp-server, and is it overloaded?");
        }
        narration.clientRecv(server, "InputStream.read()", prompt);
        String text = Protocol.escape(stripNewline(prompt));
        if (Arrays.equals(prompt, Protocol.BUSY)) {
            console.event("busy", server, "server: " + text);
            throw new Failure(Addresses.format(server) + " is busy: it serves as many clients as it may, and closed"
                    + " the connection without asking for an ID; run tcp-client again in a moment");
        }
        if (prompt.length == 0) {
            throw new Failure(Addresses.format(server) + " closed the connection without a prompt: is it a sockets"
                    + " tcp-server, and is it stopping?");
        }
        console.event("prompt", server, "server: " + text, "bytes", prompt.length);
        return prompt;
    }

    /** The server's answer to the ID: the acknowledgement, shown; a {@link Failure} for anything less. */
    private void acknowledged(ReplyReader.Heard reply) {
        byte[] line = stripNewline(reply.bytes());
        String where = Addresses.format(server);
        if (line.length > 0) {
            console.event("reply", server, "server: " + Protocol.escape(line), "reply", Protocol.escape(line));
        }
        if (startsWith(line, Protocol.NOT_RECORDED_PREFIX)) {
            String why = Protocol.escape(Arrays.copyOfRange(line, Protocol.NOT_RECORDED_PREFIX.length, line.length));
            throw new Failure(where + " did not record the ID: " + why + "; check the ID, then run tcp-client again");
        }
        if (line.length > 0) {
            return;
        }
        if (reply.error() != null) {
            throw new Failure("sent the ID to " + where + ", but the connection ended with " + Errno.describe(reply.error())
                    + " before an acknowledgement: the ID may not have arrived; run tcp-client again");
        }
        if (ackExpected) {
            throw new Failure("sent the ID to " + where + ", but the server closed the connection without an acknowledgement,"
                    + " so it may not have recorded it; ask the TA, or run tcp-client again (the slides' own server never"
                    + " answers: with it, pass --no-ack)");
        }
        console.event("reply", server, "the server closed the connection without an acknowledgement (none expected: --no-ack)");
    }

    /** The slides' {@code s.send(response)}, in one piece or in several with pauses between. */
    private void sendInPieces(OutputStream out, byte[] line, Budget budget, String id) throws IOException {
        for (int at = 0; at < line.length; at += chunk) {
            if (at > 0 && !gap.isZero()) {
                long start = System.nanoTime();
                pause(gap);
                budget.exclude(start);   // our own pause: the server is not slow
            }
            int n = Math.min(chunk, line.length - at);
            // Told just before the write, not after: the server may answer (and, in the demo, say so) first.
            narration.send(server, line, at, n);
            if (at + n == line.length) {
                console.event("send", server, "sent: " + Protocol.escape(id), "id", Protocol.escape(id));
            }
            out.write(line, at, n);
            out.flush();
        }
    }

    private Duration idleTimeout() {
        return serverIdleTimeout != null ? serverIdleTimeout : TcpServer.DEFAULT_IDLE_TIMEOUT;
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
     * Empty if the server closed without a word.
     */
    private static byte[] readPrompt(Socket socket, InputStream in, Budget budget) throws IOException {
        ByteArrayOutputStream prompt = new ByteArrayOutputStream(Protocol.PROMPT.length);
        try {
            socket.setSoTimeout(budget.millisLeft());
            int b;
            while (prompt.size() < Protocol.MAX_ID_BYTES && (b = in.read()) >= 0) {
                prompt.write(b);
                if (b == Protocol.NEWLINE) {
                    break;
                }
                socket.setSoTimeout((int) Math.min(Protocol.QUIET_PAUSE.toMillis(), budget.millisLeft()));
            }
        } catch (SocketTimeoutException e) {
            if (prompt.size() == 0) {
                throw e;
            }
            // a prompt without a newline, then silence: that was the whole prompt
        }
        return prompt.toByteArray();
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] stripNewline(byte[] line) {
        int n = line.length;
        if (n > 0 && line[n - 1] == Protocol.NEWLINE) {
            n--;
        }
        return Arrays.copyOf(line, n);
    }

    /**
     * What is left of {@code --timeout}: time spent waiting on the server counts, time spent typing or in
     * our own pauses does not, so one limit bounds connecting, the prompt and the acknowledgement together.
     */
    static final class Budget {
        private final Duration limit;
        private long deadline;

        Budget(Duration limit) {
            this.limit = limit;
            this.deadline = System.nanoTime() + limit.toNanos();
        }

        /** What is left, for a socket timeout (at least 1 ms: 0 would mean "forever"); none left is a timeout. */
        int millisLeft() throws SocketTimeoutException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("--timeout " + DurationConverter.format(limit) + " spent");
            }
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
        }

        /** The whole limit, for messages. */
        long millis() {
            return limit.toMillis();
        }

        /** Time since {@code start} was not spent on the server: give it back. */
        void exclude(long start) {
            deadline += System.nanoTime() - start;
        }
    }
}
