package lab.sockets.tcp;

import lab.sockets.Console;
import lab.sockets.DurationConverter;
import lab.sockets.Errno;
import lab.sockets.IdReader;
import lab.sockets.Lifecycle;
import lab.sockets.Narration;
import lab.sockets.Protocol;
import lab.sockets.Server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The slides' TCP server as the slides write it: one client at a time, with blocking calls.
 * <pre>
 *   s.bind((HOST, PORT))
 *   s.listen(0)
 *   while True:
 *       client, address = s.accept()                      # waits for the next client
 *       client.send(b"What's your student ID?\n")
 *       student_id = client.recv(1000).upper().decode('utf-8')   # waits while this student types
 *       client.close()
 * </pre>
 * While one student is typing, everyone else waits: their connections sit in the listen backlog (or,
 * beyond it, their SYNs are dropped and retried). {@code sockets tcp-server --iterative} runs this so
 * that {@code tcp-load} can show the queue forming, next to {@link TcpServer} taking everyone at once.
 * It speaks the same protocol as {@link TcpServer} (same framing, same answers, the same {@link Reception})
 * and keeps the idle timeout, so one silent client blocks the class for that long, not forever.
 */
public final class IterativeServer implements Server {
    /**
     * The slides call {@code listen(0)}. Linux then still lets one connection wait in the accept queue
     * (it admits backlog + 1). Java cannot say 0: a backlog below 1 means "use the default, 50". So the
     * closest Java comes to the slides is 1.
     */
    public static final int SLIDES_BACKLOG = 1;

    private final ServerSocketChannel listener;
    private final TcpServer.Settings settings;
    private final Console console;
    private final Narration narration;
    private final Reception reception;
    private final Thread thread;
    private final Lifecycle lifecycle;

    private IterativeServer(ServerSocketChannel listener, TcpServer.Settings settings, Console console) {
        this.listener = listener;
        this.settings = settings;
        this.console = console;
        this.narration = new Narration(console);
        this.reception = new Reception(console, settings);
        this.lifecycle = new Lifecycle(1, TcpServer.SHUTDOWN_GRACE, console, reception::summary);
        this.thread = lifecycle.servingThread("tcp-iterative", this::serveNext);
    }

    /** {@code s.bind((HOST, PORT))} and {@code s.listen(backlog)}, then serving on a thread of its own. */
    public static IterativeServer start(TcpServer.Settings settings, Console console) throws IOException {
        Narration narration = new Narration(console);
        ServerSocketChannel listener = TcpServer.openListener(settings, narration);
        int backlog = settings.limits().backlog();
        narration.listen("0", backlog, "queues about " + (backlog + 1) + " connections while we"
                + " serve one client; it drops the SYNs of the rest, which retry after 1 s, 3 s, 7 s...");
        IterativeServer server = new IterativeServer(listener, settings, console);
        server.thread.start();
        return server;
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.socket().getLocalSocketAddress();
    }

    @Override
    public void close() {
        lifecycle.stop(() -> TcpServer.closeQuietly(listener));   // wakes accept() with an exception
    }

    @Override
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** One turn of the slides' {@code while True:}, on the serving thread: accept the next client, and serve it. */
    private void serveNext() {
        narration.acceptWaiting("ServerSocketChannel.accept()",
                "waiting for the next client (blocked: nobody else is served meanwhile)");
        SocketChannel client;
        try {
            client = listener.accept();
        } catch (IOException e) {
            if (!lifecycle.stopping()) {
                console.problem("error", null, "accept() failed: " + Errno.describe(e));
            }
            return;
        }
        reception.connected();
        converse(client);
    }

    /** One client, start to end, while everybody else waits. */
    private void converse(SocketChannel client) {
        SocketAddress peer = client.socket().getRemoteSocketAddress();
        console.event("connect", peer, "connected");
        narration.accepted(peer, "ServerSocketChannel.accept()");
        try (client) {
            InputStream in = client.socket().getInputStream();
            send(client, peer, Protocol.PROMPT, false);
            IdReader reader = readId(client, in, peer);
            if (reader == null) {
                return;
            }
            Reception.Answer answer = reception.judge(peer, client.socket().getLocalSocketAddress(), reader);
            if (answer.kind() == Reception.Kind.LEFT) {
                return;
            }
            byte[] reply = answer.reply();
            if (answer.kind() == Reception.Kind.RECORD) {
                narration.upper(peer, answer.id(), reader.end());
                if (!record(peer, answer)) {
                    console.event("close", peer, Reception.ROSTER_FAILED_TEXT);
                    reply = Reception.ROSTER_FAILED;
                }
            }
            send(client, peer, reply, answer.kind() == Reception.Kind.RECORD && reply == answer.reply());
            if (reader.discarded() > 0) {
                finish(client, in, peer);
            }
        } catch (IOException e) {
            console.event("close", peer, "connection failed: " + Errno.describe(e));
        } finally {
            narration.close(peer, "SocketChannel.close()", "");
            console.flush();
        }
    }

    /** The slides' {@code client.send(...)}: blocking, so it returns once all is in the kernel's hands. */
    private void send(SocketChannel client, SocketAddress peer, byte[] data, boolean answer) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            client.write(buffer);
        }
        if (data == Protocol.PROMPT) {
            narration.sendPrompt(peer, "SocketChannel.write()", data.length, 0);
        } else {
            narration.sendAnswer(peer, "SocketChannel.write()", answer, data.length, 0);
        }
    }

    /** {@code client.recv(1000)}, repeated until the ID is whole (see {@link IdReader}); null if the client went silent. */
    private IdReader readId(SocketChannel client, InputStream in, SocketAddress peer) throws IOException {
        IdReader reader = new IdReader();
        byte[] buffer = new byte[Protocol.MAX_ID_BYTES];
        long deadline = System.nanoTime() + settings.limits().deadline().toNanos();
        while (!reader.complete()) {
            Duration wait = reader.waitsForPause() ? Protocol.QUIET_PAUSE : settings.limits().idleTimeout();
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                reception.timedOut();
                console.event("close", peer, "closed: conversation took longer than "
                        + DurationConverter.format(settings.limits().deadline()) + " (deadline), no complete ID");
                return null;
            }
            client.socket().setSoTimeout((int) Math.max(1, Math.min(wait.toMillis(), left)));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                if (reader.waitsForPause()) {
                    reader.endOnQuietPause();
                } else if (deadline - System.nanoTime() > 0) {
                    reception.timedOut();
                    console.event("close", peer, "closed: silent for "
                            + DurationConverter.format(settings.limits().idleTimeout()) + " (idle timeout)");
                    return null;
                }
                continue;
            }
            if (narration.on()) {
                narration.recv(peer, "SocketChannel.read()", buffer, n, null);
            }
            if (n < 0) {
                reader.endOfStream();
            } else {
                reader.feed(buffer, 0, n);
                byte[] telnet = reader.takeTelnetReplies();
                if (telnet != null) {
                    client.write(ByteBuffer.wrap(telnet));
                }
            }
        }
        return reader;
    }

    /**
     * Closing while the client's extra bytes sit unread would reset the connection and could destroy the
     * answer; so send FIN first and read what is left, briefly, as {@link Conversation} does.
     */
    private void finish(SocketChannel client, InputStream in, SocketAddress peer) throws IOException {
        client.shutdownOutput();
        narration.shutdownOutput(peer, "SocketChannel.shutdownOutput()");
        client.socket().setSoTimeout((int) TcpServer.LINGER.toMillis());
        byte[] discard = new byte[4096];
        try {
            while (in.read(discard) >= 0) {
                // what the client sent past its ID: not ours to keep
            }
        } catch (SocketTimeoutException e) {
            // the client did not close within the linger: close anyway
        }
    }

    /** Blocks until the roster has the ID: nobody else is waiting on this thread's time anyway. */
    private boolean record(SocketAddress peer, Reception.Answer answer) {
        CompletableFuture<Boolean> kept = new CompletableFuture<>();
        settings.roster().record(peer, answer.id(), answer.duplicate(), kept::complete);
        return kept.join();
    }
}
