package lab.sockets.tcp;

import lab.sockets.Console;
import lab.sockets.DurationConverter;
import lab.sockets.Errno;
import lab.sockets.IdReader;
import lab.sockets.Narration;
import lab.sockets.Protocol;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One client of the {@link TcpServer}, from accept to close: the slides' per-client steps, written as a
 * small state machine because the server never waits on one client. Each time the client's socket can
 * make progress, the event loop calls {@link #ready}, which does the next step and returns at once.
 *
 * <pre>
 *   PROMPT     client.send(b"What's your student ID?\n")
 *   READ_ID    student_id = client.recv(1000).upper()      (as many reads as the ID takes; see IdReader)
 *   RECORD     (only with --roster) the ID is written to disk before it is acknowledged
 *   ANSWER     client.send(b"ID received: " + student_id + b"\n"), or why it was not recorded
 *   LINGER     only if the client sent more than its ID: we have said all; wait briefly for its end of
 *              stream, discarding what it sends, so that closing does not reset the connection
 *   CLOSED     client.close()
 * </pre>
 * The prompt is sent while the ID is read: a client may send its ID before the prompt arrives. A browser
 * or an {@code https://} attempt that speaks first gets no prompt (see {@link Reception}).
 * <p>
 * A conversation knows its event loop only through {@link Host} and its socket only through {@link Wire},
 * two small interfaces it owns: the loop implements them, and a test can drive a whole conversation with a
 * fake of each, without a socket. Only the loop that accepted the client ever touches its conversation.
 */
final class Conversation {
    /** What a conversation needs from the event loop that runs it. */
    interface Host {
        Console console();

        Narration narration();

        Reception reception();

        TcpServer.Settings settings();

        /** Shared by the loop's conversations: each read is handled before the next one starts. */
        ByteBuffer readBuffer();

        /** Look at this conversation's {@link #deadline()} again no later than {@code nanoTime}. */
        void wakeAt(long nanoTime);

        /** Runs {@code task} on the loop's thread (the roster answers from a thread of its own). */
        void runLater(Runnable task);
    }

    /** The client's socket, as a conversation uses it: non-blocking reads and writes. */
    interface Wire {
        SocketAddress peer();

        /** The address the client reached: a browser is told what to type instead. */
        SocketAddress local();

        /** Reads what has come; 0 if nothing yet, -1 at end of stream. */
        int read(ByteBuffer into) throws IOException;

        /** Writes what the socket takes now; the rest is written when {@link #ready} says it is writable. */
        int write(ByteBuffer data) throws IOException;

        void shutdownOutput() throws IOException;

        /** Which readiness to be called back for. */
        void interest(boolean read, boolean write);

        /** The slides' {@code client.close()}; the loop forgets this client. Called once. */
        void close();
    }

    private enum State { READ_ID, RECORD, ANSWER, LINGER, CLOSED }

    private static final ByteBuffer PROMPT = ByteBuffer.wrap(Protocol.PROMPT).asReadOnlyBuffer();

    private final Host host;
    private final Wire wire;
    private final SocketAddress peer;
    private final IdReader reader = new IdReader();
    private final long deadline;
    private State state = State.READ_ID;
    private ByteBuffer output;          // what is still to be sent: the prompt, then the answer
    private boolean heard;              // any byte came
    private boolean peerClosed;         // read() returned -1: the client will send nothing more
    private boolean reading = true;
    private boolean answeredWeb;
    private boolean acknowledging;      // the answer is "ID received: ..."
    private long lastHeard;
    private long lingerUntil;

    Conversation(Host host, Wire wire) {
        this.host = host;
        this.wire = wire;
        this.peer = wire.peer();
        this.lastHeard = System.nanoTime();
        this.deadline = lastHeard + host.settings().limits().deadline().toNanos();
    }

    /**
     * A client was just accepted: greet it. One read first: a browser or an {@code https://} attempt speaks
     * as soon as it connects, and must get an answer it understands, not the prompt.
     */
    void begin() {
        host.console().event("connect", peer, "connected");
        host.narration().accepted(peer, "ServerSocketChannel.accept()");
        host.wakeAt(deadline());
        try {
            ByteBuffer buffer = host.readBuffer();
            buffer.clear();
            int n = wire.read(buffer);
            boolean webFirst = n > 0 && (Reception.looksLikeHttp(buffer.array(), n) || Reception.isTlsHello(buffer.array(), n));
            if (!webFirst) {
                send(PROMPT.duplicate());
            }
            if (n != 0) {
                took(n);
            }
        } catch (IOException e) {
            end(describeFailure(e));
        }
    }

    /** The event loop says the socket can be read or written without blocking. */
    void ready(boolean readable, boolean writable) {
        try {
            if (writable && state != State.CLOSED) {
                send(output);
            }
            if (readable && state != State.CLOSED) {
                ByteBuffer buffer = host.readBuffer();
                buffer.clear();
                took(wire.read(buffer));
            }
        } catch (IOException e) {
            end(describeFailure(e));
        }
    }

    /** What one read brought ({@code n} bytes in the loop's buffer, or -1): the slides' {@code client.recv(1000)}. */
    private void took(int n) {
        byte[] data = host.readBuffer().array();
        if (host.narration().on()) {
            explainRead(data, n);
        }
        if (n < 0) {
            peerClosed = true;
            setInterest(false, output != null);
            reader.endOfStream();
        } else {
            lastHeard = System.nanoTime();
            if (!heard && Reception.isTlsHello(data, n)) {
                host.reception().tlsHello(peer);
                end(null);
                return;
            }
            heard = true;
            reader.feed(data, 0, n);
            byte[] telnet = reader.takeTelnetReplies();
            if (telnet != null && output == null && state != State.CLOSED) {
                try {
                    wire.write(ByteBuffer.wrap(telnet));   // a few bytes: they fit, or the client is gone
                } catch (IOException e) {
                    end(describeFailure(e));
                    return;
                }
            }
        }
        if (state == State.READ_ID) {
            if (reader.complete()) {
                idComplete();
            } else if (reader.waitsForPause()) {
                host.wakeAt(lastHeard + Protocol.QUIET_PAUSE.toNanos());
            }
        } else if (state == State.LINGER && peerClosed) {
            end(null);
        }   // RECORD, ANSWER: what comes now is past the ID; the reader counts it
    }

    /** With --explain: what this read brought, and why one read may not be the whole ID. */
    private void explainRead(byte[] data, int n) {
        boolean newline = false;
        for (int i = 0; i < n; i++) {
            newline |= data[i] == Protocol.NEWLINE;
        }
        String waiting = null;
        if (state == State.READ_ID && n > 0 && !newline) {
            waiting = "no newline yet: TCP is a byte stream, so wait for more" + (reader.typing() || n <= 2
                    ? "; typed key by key, so no pause ends it, only Enter"
                    : ", or a " + Protocol.QUIET_PAUSE.toMillis() + " ms pause");
        }
        host.narration().recv(peer, "SocketChannel.read()", data, n, waiting);
    }

    /** The ID ended (newline, end of stream, size limit or quiet pause): the front desk says what to answer. */
    private void idComplete() {
        Reception.Answer answer = host.reception().judge(peer, wire.local(), reader);
        switch (answer.kind()) {
            case LEFT:
                end(null);
                return;
            case RECORD:
                host.narration().upper(peer, answer.id(), reader.end());
                state = State.RECORD;
                acknowledging = true;
                host.settings().roster().record(peer, answer.id(), answer.duplicate(),
                        kept -> host.runLater(() -> answer(answer.reply(), kept)));
                return;
            default:   // NOT_RECORDED, WEB
                answeredWeb = answer.kind() == Reception.Kind.WEB;
                state = State.RECORD;
                answer(answer.reply(), true);
        }
    }

    /** The roster has the ID (or there is nothing to keep): the slides' last {@code send}. */
    private void answer(byte[] reply, boolean kept) {
        if (state != State.RECORD) {
            return;   // ended meanwhile (deadline, shutdown)
        }
        acknowledging &= kept;
        if (!kept) {
            host.console().event("close", peer, Reception.ROSTER_FAILED_TEXT);
        }
        state = State.ANSWER;
        try {
            send(ByteBuffer.wrap(kept ? reply : Reception.ROSTER_FAILED));
        } catch (IOException e) {
            end(describeFailure(e));
        }
    }

    /** Sends what it can now; the loop calls back when the client's window opens again. */
    private void send(ByteBuffer data) throws IOException {
        int n = wire.write(data);
        if (host.narration().on()) {
            if (state == State.ANSWER) {
                host.narration().sendAnswer(peer, "SocketChannel.write()", acknowledging, n, data.remaining());
            } else {
                host.narration().sendPrompt(peer, "SocketChannel.write()", n, data.remaining());
            }
        }
        output = data.hasRemaining() ? data : null;
        setInterest(reading, output != null);
        if (output == null && state == State.ANSWER) {
            afterAnswer();
        }
    }

    /**
     * All is said. If nothing came past the ID, close now, as the slides do: the kernel sends our FIN after
     * the answer. But closing while the client's unread bytes (past a newline, beyond 1000 bytes) sit in
     * our receive buffer would make the kernel send a reset instead, which can destroy the answer before
     * the client reads it. So then: send our FIN, read and discard until the client's FIN or a short
     * linger, then close.
     */
    private void afterAnswer() throws IOException {
        if (peerClosed || reader.discarded() == 0) {
            end(null);
            return;
        }
        wire.shutdownOutput();
        host.narration().shutdownOutput(peer, "SocketChannel.shutdownOutput()");
        state = State.LINGER;
        lingerUntil = System.nanoTime() + TcpServer.LINGER.toNanos();
        host.wakeAt(lingerUntil);
    }

    /** When the loop must next look at this conversation, whatever happens on the socket. */
    long deadline() {
        long next = deadline;
        if (state == State.READ_ID) {
            next = Math.min(next, lastHeard + host.settings().limits().idleTimeout().toNanos());
            if (reader.waitsForPause()) {
                next = Math.min(next, lastHeard + Protocol.QUIET_PAUSE.toNanos());
            }
        } else if (state == State.LINGER) {
            next = Math.min(next, lingerUntil);
        }
        return next;
    }

    /** Called by the loop once {@link #deadline()} has passed. */
    void timeUp(long now) {
        TcpServer.Limits limits = host.settings().limits();
        if (state == State.READ_ID && reader.waitsForPause()
                && now - (lastHeard + Protocol.QUIET_PAUSE.toNanos()) >= 0 && now - deadline < 0) {
            reader.endOnQuietPause();
            idComplete();
        } else if (state == State.LINGER) {
            end(null);
        } else if (now - deadline >= 0) {
            host.reception().timedOut();
            end("closed: conversation took longer than " + DurationConverter.format(limits.deadline())
                    + " (deadline)" + (state == State.READ_ID ? ", no complete ID" : ""));
        } else if (now - (lastHeard + limits.idleTimeout().toNanos()) >= 0) {
            host.reception().timedOut();
            end("closed: silent for " + DurationConverter.format(limits.idleTimeout()) + " (idle timeout)"
                    + (reader.started() ? ", the ID was never finished with Enter: " + Protocol.escape(reader.id()) : ""));
        } else {
            host.wakeAt(deadline());   // woken early (another conversation's timer): look again later
        }
    }

    /** The server is stopping and this conversation did not finish in time. */
    void abandon(String why) {
        end("closed: " + why);
    }

    /** The slides' {@code client.close()}; {@code why} is logged when the conversation did not end normally. */
    private void end(String why) {
        if (state == State.CLOSED) {
            return;
        }
        if (why != null) {
            host.console().event("close", peer, why);
        }
        if (reader.discarded() > 0 && !answeredWeb && state != State.READ_ID) {
            String start = Protocol.escape(reader.discardedStart());
            host.console().event("after-id", peer, "ignored " + Protocol.bytesCount(reader.discarded())
                    + " sent after the ID: " + start + (reader.discarded() > IdReader.AFTER_KEPT ? " ..." : ""),
                    "bytes", reader.discarded());
        }
        state = State.CLOSED;
        wire.close();
        host.narration().close(peer, "SocketChannel.close()", "");
    }

    private void setInterest(boolean read, boolean write) {
        reading = read;
        wire.interest(read, write);
    }

    private String describeFailure(IOException e) {
        Errno errno = Errno.of(e);
        if (state == State.READ_ID && (errno == Errno.ECONNRESET || errno == Errno.EPIPE)) {
            return "client reset the connection before sending an ID: " + Errno.describe(e);
        }
        if (state == State.ANSWER || state == State.LINGER) {
            return "client left before reading the answer: " + Errno.describe(e);
        }
        return "connection failed: " + Errno.describe(e);
    }
}
