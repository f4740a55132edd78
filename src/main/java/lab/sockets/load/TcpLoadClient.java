package lab.sockets.load;

import lab.sockets.Addresses;
import lab.sockets.Errno;
import lab.sockets.Protocol;
import lab.sockets.load.TcpLoadStats.Problem;
import lab.sockets.load.TcpLoadStats.Reply;
import lab.sockets.load.TcpLoadStats.Waiting;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One simulated student: the slides' client (connect, read the prompt, send the ID, read the reply until the
 * server closes, close), written as a state machine so that one event loop thread runs thousands. The loop
 * calls {@link #ready} when its socket is ready and {@link #checkTime} every tick; the client reaches the loop
 * only through its {@link Driver}.
 *
 * <p>The client always closes <em>after</em> the server (it reads until end of stream, then closes). The side
 * that closes first keeps the connection in TIME_WAIT for a minute, so a fast closed loop on loopback would
 * soon use up the client's ephemeral ports if the client closed first. (Closing with SO_LINGER 0 would avoid
 * TIME_WAIT by sending a reset, but the server would see every conversation end in an error.)
 */
final class TcpLoadClient {
    /** IDs no one can take for a student's ({@code LOAD-000001}): this, then the client's number on six digits. */
    static final String ID_PREFIX = "LOAD-";
    /** A client whose connection failed waits this long before trying again, as a student would. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(100);
    /** Reads per readiness event, so one server that streams bytes endlessly cannot hold a thread. */
    private static final int READS_PER_EVENT = 8;

    /** Where a client is in its conversation. */
    enum Stage {
        CONNECTING(Waiting.CONNECTING),
        PROMPT(Waiting.PROMPT),
        HELD(null),         // hold mode: prompted, staying silent
        REPLY(Waiting.REPLY),
        PAUSED(null),       // after an error, waiting a moment before connecting again
        DONE(null);         // hold mode: finished

        /** What a client in this stage is waiting on the server for, or null if it is not waiting on it. */
        final Waiting waiting;

        Stage(Waiting waiting) {
            this.waiting = waiting;
        }
    }

    /** What a client needs from the event loop that drives it ({@link TcpLoadLoop} is the one). */
    interface Driver {
        /** Registers {@code channel} with the loop's selector for {@code ops}, with {@code client} attached. */
        SelectionKey register(SocketChannel channel, int ops, TcpLoadClient client) throws IOException;

        /** The loop's one read buffer: each read is looked at before the next one. */
        ByteBuffer readBuffer();

        /** Where this loop's clients count what happened. */
        TcpLoadStats stats();

        /** Hold mode: {@code client} is done with the phase under way (well or not). */
        void settle(TcpLoadClient client, long now);

        /** Whether the run is over: no new conversation starts. */
        boolean stopping();
    }

    private final Driver loop;
    private final TcpLoadSettings settings;
    private final TcpLoadStats stats;
    private final ByteBuffer readBuffer;
    private final ByteBuffer idLine;
    private final byte[] expectedAck;
    private Stage stage = Stage.DONE;
    private long started;
    /** Hold mode: this client counts for the phase under way until it settles. */
    private boolean pending;
    private long deadline;
    private SocketChannel channel;
    private SelectionKey key;
    private int promptSeen;
    private int replyLength;
    private boolean replyMatches;
    private boolean refusalMatches;

    /** Client {@code number}, from 0; it sends the ID {@link #id id(number)} in every conversation. */
    TcpLoadClient(Driver loop, TcpLoadSettings settings, int number) {
        this.loop = loop;
        this.settings = settings;
        this.stats = loop.stats();
        this.readBuffer = loop.readBuffer();
        byte[] id = id(number).getBytes(UTF_8);
        this.expectedAck = Protocol.acknowledgement(Protocol.upperCaseAscii(id));
        byte[] line = new byte[id.length + 1];
        System.arraycopy(id, 0, line, 0, id.length);
        line[id.length] = Protocol.NEWLINE;
        this.idLine = ByteBuffer.wrap(line);
    }

    /** The ID of client {@code number} (from 0): {@code LOAD-000001} for the first, and so on. */
    static String id(int number) {
        return String.format(Locale.ROOT, "%s%06d", ID_PREFIX, number + 1);
    }

    Stage stage() {
        return stage;
    }

    /** Hold mode, as a phase begins: whether this client counts for it until it settles. */
    void pending(boolean pending) {
        this.pending = pending;
    }

    /** Hold mode: this client is done with the phase; false if it was already (a held client the server closed). */
    boolean settle() {
        boolean was = pending;
        pending = false;
        return was;
    }

    /** When the conversation under way started (or, held, when the ID went). */
    long started() {
        return started;
    }

    /** The slides' {@code s.connect((HOST, PORT))}, without waiting for it to complete. */
    void connect(long now) {
        stage = Stage.CONNECTING;
        started = now;
        pending = true;
        deadline = now + settings.timeout().toNanos();
        promptSeen = 0;
        replyLength = 0;
        replyMatches = true;
        refusalMatches = true;
        if (!settings.hold()) {
            stats.busy.incrementAndGet();
        }
        try {
            channel = SocketChannel.open(Addresses.family(settings.server()));
            channel.configureBlocking(false);
            boolean connected = channel.connect(settings.server());
            key = loop.register(channel, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            if (connected) {
                stage = Stage.PROMPT;
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    void ready(SelectionKey readyKey) {
        try {
            if (stage == Stage.CONNECTING && readyKey.isConnectable()) {
                channel.finishConnect();
                stage = Stage.PROMPT;
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            // A step may have closed this socket (and the closed loop opened the next one): check the key.
            if (readyKey.isValid() && readyKey.isWritable()) {
                writeId();
            }
            if (readyKey.isValid() && readyKey.isReadable()) {
                receive();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Reads what is there: the prompt, then the acknowledgement, then the server's end of stream. */
    private void receive() throws IOException {
        ByteBuffer buffer = readBuffer;
        for (int reads = 0; reads < READS_PER_EVENT && channel != null; reads++) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n == 0) {
                return;
            }
            if (n < 0) {
                endOfStream();
                return;
            }
            Stage before = stage;
            for (int i = 0; i < n && channel != null; i++) {
                take(buffer.get(i));
            }
            if (before == Stage.PROMPT && stage == Stage.REPLY) {
                return;   // our ID just went: its reply cannot be here yet, so another read would be wasted
            }
        }
    }

    /** One byte from the server, checked against what the protocol says comes now. */
    private void take(byte b) {
        if (stage == Stage.PROMPT) {
            if (b != Protocol.PROMPT[promptSeen]) {
                fail(Problem.WRONG_PROMPT, null);
                return;
            }
            if (++promptSeen == Protocol.PROMPT.length) {
                prompted();
            }
        } else if (stage == Stage.REPLY) {
            replyMatches &= replyLength < expectedAck.length && b == expectedAck[replyLength];
            refusalMatches &= replyLength >= Protocol.NOT_RECORDED_PREFIX.length
                    || b == Protocol.NOT_RECORDED_PREFIX[replyLength];
            replyLength++;
        }
        // HELD: the server said more than the prompt before our ID; nothing in the protocol, ignored
    }

    private void prompted() {
        if (settings.hold()) {
            stage = Stage.HELD;
            stats.prompted.incrementAndGet();
            stats.held.incrementAndGet();
            loop.settle(this, System.nanoTime());
        } else {
            sendId(started);
        }
    }

    /** The slides' {@code s.send(student_id)}, with a newline as {@code nc} and {@code tcp-client} send it. */
    void sendId(long since) {
        if (stage == Stage.HELD) {
            stats.held.decrementAndGet();
            deadline = since + settings.timeout().toNanos();
        }
        stage = Stage.REPLY;
        started = since;
        idLine.clear();
        try {
            writeId();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void writeId() throws IOException {
        channel.write(idLine);
        // A dozen bytes always fit in a new socket's send buffer; a partial write is handled all the same.
        key.interestOps(idLine.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void endOfStream() {
        switch (stage) {
            case PROMPT:
                fail(Problem.WRONG_PROMPT, null);   // closed before the whole prompt came
                break;
            case HELD:
                fail(Problem.CLOSED_EARLY, null);
                break;
            case REPLY:
                served();
                break;
            default:
        }
    }

    /** The server closed after our ID: a conversation done. The slides' {@code s.close()}, after the server's. */
    private void served() {
        long now = System.nanoTime();
        stats.served(now - started, reply());
        close();
        next(now);
    }

    private Reply reply() {
        if (replyLength == 0) {
            return Reply.NONE;
        }
        if (replyMatches && replyLength == expectedAck.length) {
            return Reply.ACKNOWLEDGED;
        }
        return refusalMatches && replyLength >= Protocol.NOT_RECORDED_PREFIX.length ? Reply.REFUSED : Reply.OTHER;
    }

    private void fail(IOException e) {
        Errno errno = Errno.of(e);
        Problem problem = errno == Errno.ECONNREFUSED ? Problem.REFUSED
                : errno == Errno.ECONNRESET || errno == Errno.EPIPE ? Problem.RESET
                : errno == Errno.ETIMEDOUT ? Problem.TIMEOUT
                : Problem.OTHER;
        fail(problem, Errno.describe(e));
    }

    private void fail(Problem problem, String detail) {
        if (stage == Stage.HELD) {
            stats.held.decrementAndGet();
        }
        stats.failed(problem, detail);
        close();
        long now = System.nanoTime();
        if (settings.hold()) {
            next(now);
        } else {
            stats.busy.decrementAndGet();
            stage = Stage.PAUSED;
            deadline = now + RETRY_PAUSE.toNanos();
        }
    }

    /** After a conversation: the closed loop starts the next one at once; a held client is done. */
    private void next(long now) {
        if (settings.hold()) {
            stage = Stage.DONE;
            loop.settle(this, now);
        } else if (loop.stopping()) {
            stage = Stage.DONE;
        } else {
            stats.busy.decrementAndGet();
            connect(now);
        }
    }

    /** Called by the loop every tick: a wait that took too long ends here. */
    void checkTime(long now) {
        if (now - deadline < 0) {
            return;
        }
        if (stage == Stage.PAUSED && !loop.stopping()) {
            connect(now);
        } else if (stage.waiting != null) {
            fail(Problem.TIMEOUT, null);
        }
    }

    /** Closes the socket, if open: the client's side of the close, once the server has closed its own. */
    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // released either way
            }
            channel = null;
            key = null;
        }
    }
}
