package lab.sockets.tcp;

import lab.sockets.DurationConverter;
import lab.sockets.Errno;
import lab.sockets.Protocol;
import lab.sockets.Protocol.IdReader;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client of the {@link TcpServer}, from accept to close: the slides' per-client steps, written as a
 * small state machine because the server never waits on one client. Each time the client's socket can
 * make progress, the event loop calls {@link #ready}, which does the next step and returns at once.
 *
 * <pre>
 *   PROMPT     client.send(b"What's your student ID?\n")
 *   READ_ID    student_id = client.recv(1000).upper()      (as many reads as the ID takes; see IdReader)
 *   RECORD     (only with --roster) the ID is written to disk before it is acknowledged
 *   ACK        client.send(b"ID received: " + student_id + b"\n")
 *   LINGER     only if the client sent more than its ID: we have said all; wait briefly for its end of
 *              stream, discarding what it sends, so that closing does not reset the connection
 *   CLOSED     client.close()
 * </pre>
 * The prompt is sent while the ID is read: a client may send its ID before the prompt arrives.
 * Only the event loop that accepted the client ever touches its conversation.
 */
final class Conversation {
    private enum State { READ_ID, RECORD, ACK, LINGER, CLOSED }

    private static final ByteBuffer PROMPT = ByteBuffer.wrap(Protocol.PROMPT).asReadOnlyBuffer();

    private final TcpServer server;
    private final TcpServer.EventLoop loop;
    private final SocketChannel channel;
    private final SocketAddress peer;
    private final SelectionKey key;
    private final IdReader reader = new IdReader();
    private final long deadline;
    private State state = State.READ_ID;
    private ByteBuffer output;          // what is still to be sent: the prompt, then the acknowledgement
    private boolean peerClosed;         // read() returned -1: the client will send nothing more
    private long lastHeard;
    private long lingerUntil;

    private Conversation(TcpServer server, TcpServer.EventLoop loop, SocketChannel channel, SocketAddress peer)
            throws IOException {
        this.server = server;
        this.loop = loop;
        this.channel = channel;
        this.peer = peer;
        this.lastHeard = System.nanoTime();
        this.deadline = lastHeard + server.settings.deadline().toNanos();
        this.key = channel.register(loop.selector, SelectionKey.OP_READ, this);
    }

    /** A client was just accepted: greet it. */
    static void begin(TcpServer server, TcpServer.EventLoop loop, SocketChannel channel) {
        Conversation conversation;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);   // our lines are small and final
            conversation = new Conversation(server, loop, channel, channel.getRemoteAddress());
        } catch (IOException e) {
            // gone between accept() and now (reset): nothing was said, nothing to log
            server.clients.decrementAndGet();
            TcpServer.closeQuietly(channel);
            return;
        }
        server.console.event("connect", conversation.peer, "connected");
        server.console.explain(conversation.peer, "client, address = s.accept()", "ServerSocketChannel.accept()",
                "a new socket, just for this client");
        loop.wakeAt(conversation.deadline());
        try {
            conversation.send(PROMPT.duplicate());
        } catch (IOException e) {
            conversation.end(conversation.describeFailure(e));
        }
    }

    /** The event loop says the socket can be read or written without blocking. */
    void ready(SelectionKey readyKey) {
        try {
            if (readyKey.isValid() && readyKey.isWritable()) {
                send(output);
            }
            if (readyKey.isValid() && readyKey.isReadable()) {
                receive();
            }
        } catch (IOException e) {
            end(describeFailure(e));
        }
    }

    /** The socket's read side: the slides' {@code client.recv(1000)}, as many times as the ID takes. */
    private void receive() throws IOException {
        ByteBuffer buffer = loop.readBuffer;
        buffer.clear();
        int n = channel.read(buffer);
        if (server.console.explaining()) {
            explainRead(n);
        }
        if (n < 0) {
            peerClosed = true;
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            reader.endOfStream();
        } else {
            lastHeard = System.nanoTime();
            reader.feed(buffer.array(), 0, n);
        }
        switch (state) {
            case READ_ID:
                if (reader.complete()) {
                    idComplete();
                } else if (reader.started()) {
                    loop.wakeAt(lastHeard + Protocol.QUIET_PAUSE.toNanos());
                }
                break;
            case LINGER:
                if (peerClosed) {
                    end(null);
                }
                break;
            default:
                // RECORD, ACK: what comes now is past the ID; the reader counts it as discarded
        }
    }

    /** With --explain: what this read brought, and why one read may not be the whole ID. */
    private void explainRead(int n) {
        byte[] data = loop.readBuffer.array();
        String result = n < 0 ? "b'': end of stream, the client closed its side"
                : Protocol.bytesCount(n) + ": " + Protocol.pythonBytes(data, 0, n, 60);
        boolean newline = false;
        for (int i = 0; i < n; i++) {
            newline |= data[i] == Protocol.NEWLINE;
        }
        if (state == State.READ_ID && n > 0 && !newline) {
            result += " (no newline yet: TCP is a byte stream, so wait for more, or a "
                    + Protocol.QUIET_PAUSE.toMillis() + " ms pause)";
        }
        server.console.explain(peer, "client.recv(1000)", "SocketChannel.read()", result);
    }

    /** The ID ended (newline, end of stream, size limit or quiet pause): log it, record it, acknowledge it. */
    private void idComplete() {
        byte[] id = Protocol.upperCaseAscii(reader.id());
        state = State.RECORD;
        if (server.console.explaining()) {
            server.console.explain(peer, "student_id.upper().decode('utf-8')", "Protocol.upperCaseAscii()",
                    Protocol.escape(id) + " (" + reader.end() + ")");
        }
        if (id.length == 0) {
            if (reader.end() == IdReader.End.END_OF_STREAM) {
                end("left without sending an ID");
                return;
            }
            server.console.event("id", peer, "empty ID (" + reader.end() + "), nothing recorded", "id", "");
            acknowledge(id, true);
            return;
        }
        String shown = Protocol.escape(id);
        server.console.event("id", peer, "ID " + shown + " (" + reader.end() + ")", "id", shown);
        server.settings.roster().record(peer, id, recorded -> loop.execute(() -> acknowledge(id, recorded)));
    }

    /** The roster has the ID (or has none to keep): the slides' last {@code send}. */
    private void acknowledge(byte[] id, boolean recorded) {
        if (state != State.RECORD) {
            return;   // ended meanwhile (deadline, shutdown)
        }
        if (!recorded) {
            end("closed without acknowledgement: the ID could not be written to the roster");
            return;
        }
        state = State.ACK;
        try {
            send(ByteBuffer.wrap(Protocol.acknowledgement(id)));
        } catch (IOException e) {
            end(describeFailure(e));
        }
    }

    /** Sends what it can now; the loop calls back (OP_WRITE) when the client's window opens again. */
    private void send(ByteBuffer data) throws IOException {
        int n = channel.write(data);
        if (server.console.explaining()) {
            String python = state == State.ACK ? "client.send(b\"ID received: \" + student_id + b\"\\n\")"
                    : "client.send(b\"What's your student ID?\\n\")";
            server.console.explain(peer, python, "SocketChannel.write()", Protocol.bytesCount(n) + " sent"
                    + (data.hasRemaining() ? ", " + data.remaining() + " to go when the client's window opens" : ""));
        }
        if (data.hasRemaining()) {
            output = data;
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            return;
        }
        output = null;
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        if (state == State.ACK) {
            afterAcknowledgement();
        }
    }

    /**
     * All is said. If nothing came past the ID, close now, as the slides do: the kernel sends our FIN after
     * the acknowledgement. But closing while the client's unread bytes (past a newline, beyond 1000 bytes)
     * sit in our receive buffer would make the kernel send a reset instead, which can destroy the
     * acknowledgement before the client reads it. So then: send our FIN (shutdownOutput), read and discard
     * until the client's FIN or a short linger, then close.
     */
    private void afterAcknowledgement() throws IOException {
        if (peerClosed || reader.discarded() == 0) {
            end(null);
            return;
        }
        channel.shutdownOutput();
        server.console.explain(peer, "client.shutdown(socket.SHUT_WR)", "SocketChannel.shutdownOutput()",
                "FIN sent: nothing more from us; waiting for the client's end of stream before closing");
        state = State.LINGER;
        lingerUntil = System.nanoTime() + TcpServer.LINGER.toNanos();
        loop.wakeAt(lingerUntil);
    }

    /** When the loop must next look at this conversation, whatever happens on the socket. */
    long deadline() {
        long next = deadline;
        switch (state) {
            case READ_ID:
                next = Math.min(next, lastHeard + server.settings.idleTimeout().toNanos());
                if (reader.started()) {
                    next = Math.min(next, lastHeard + Protocol.QUIET_PAUSE.toNanos());
                }
                break;
            case LINGER:
                next = Math.min(next, lingerUntil);
                break;
            default:
        }
        return next;
    }

    /** Called by the loop once {@link #deadline()} has passed. */
    void timeUp(long now) {
        if (state == State.READ_ID && reader.started()
                && now - (lastHeard + Protocol.QUIET_PAUSE.toNanos()) >= 0 && now - deadline < 0) {
            reader.endOnQuietPause();
            idComplete();
        } else if (state == State.LINGER) {
            end(null);
        } else if (now - deadline >= 0) {
            end("closed: conversation took longer than " + DurationConverter.format(server.settings.deadline())
                    + " (deadline)" + (state == State.READ_ID ? ", no complete ID" : ""));
        } else {
            end("closed: silent for " + DurationConverter.format(server.settings.idleTimeout()) + " (idle timeout)");
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
            server.console.event("close", peer, why);
        }
        state = State.CLOSED;
        key.cancel();
        loop.close(channel);
        server.console.explain(peer, "client.close()", "SocketChannel.close()", "connection closed");
        server.clients.decrementAndGet();
    }

    private String describeFailure(IOException e) {
        Errno errno = Errno.of(e);
        if (state == State.READ_ID && (errno == Errno.ECONNRESET || errno == Errno.EPIPE)) {
            return "client reset the connection before sending an ID: " + Errno.describe(e);
        }
        if (state == State.ACK || state == State.LINGER) {
            return "client left before reading the acknowledgement: " + Errno.describe(e);
        }
        return "connection failed: " + Errno.describe(e);
    }
}
