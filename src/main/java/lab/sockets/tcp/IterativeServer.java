package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.DurationConverter;
import lab.sockets.Errno;
import lab.sockets.Protocol;
import lab.sockets.Server;
import lab.sockets.Protocol.IdReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
 * It speaks the same protocol as {@link TcpServer} (same framing, same acknowledgement) and keeps the
 * idle timeout, so one silent client blocks the class for that long, not forever.
 */
public final class IterativeServer implements Server {
    /**
     * The slides call {@code listen(0)}. Linux then still lets one connection wait in the accept queue
     * (it admits backlog + 1). Java cannot say 0: a backlog below 1 means "use the default, 50". So the
     * closest Java comes to the slides is 1.
     */
    public static final int SLIDES_BACKLOG = 1;

    private final ServerSocket listener;
    private final TcpServer.Settings settings;
    private final Console console;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

    private IterativeServer(ServerSocket listener, TcpServer.Settings settings, Console console) {
        this.listener = listener;
        this.settings = settings;
        this.console = console;
        this.thread = new Thread(this::serve, "tcp-iterative");
        thread.setDaemon(true);
    }

    /** {@code s.bind((HOST, PORT))} and {@code s.listen(backlog)}, then serving on a thread of its own. */
    public static IterativeServer start(TcpServer.Settings settings, Console console) throws IOException {
        ServerSocket listener = new ServerSocket();
        console.explain(null, "s = socket.socket(AF_INET, SOCK_STREAM)", "new ServerSocket()", "a TCP socket");
        InetSocketAddress address = settings.address();
        String python = "s.bind((\"" + (address.getAddress().isAnyLocalAddress() ? "" : Addresses.host(address.getAddress()))
                + "\", " + address.getPort() + "))";
        try {
            listener.setReuseAddress(true);
            listener.bind(address, settings.backlog());
        } catch (IOException e) {
            console.explain(null, python, "ServerSocket.bind()", "failed: " + Errno.describe(e));
            listener.close();
            throw e;
        }
        console.explain(null, python, "ServerSocket.bind(" + Addresses.format(address) + ", " + settings.backlog() + ")",
                "bound to port " + listener.getLocalPort());
        console.explain(null, "s.listen(0)", "(the same bind call, backlog " + settings.backlog() + ")",
                "listening; while we serve one client, the kernel queues about " + (settings.backlog() + 1)
                        + " more, and drops the SYNs of the rest, which retry after 1 s, 3 s, 7 s...");
        IterativeServer server = new IterativeServer(listener, settings, console);
        server.thread.start();
        return server;
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @Override
    public void close() {
        stopping = true;
        try {
            listener.close();   // wakes accept() with an exception
        } catch (IOException ignored) {
            // closing anyway
        }
        awaitStopped(TcpServer.SHUTDOWN_GRACE.plusSeconds(1));
        console.flush();
    }

    @Override
    public boolean awaitStopped(Duration timeout) {
        return Server.await(stopped, timeout);
    }

    private void serve() {
        try {
            while (!stopping) {
                console.explain(null, "client, address = s.accept()", "ServerSocket.accept()",
                        "waiting for the next client (blocked: nobody else is served meanwhile)");
                Socket client;
                try {
                    client = listener.accept();
                } catch (IOException e) {
                    if (!stopping) {
                        console.problem("error", null, "accept() failed: " + Errno.describe(e));
                    }
                    continue;
                }
                converse(client);
            }
        } finally {
            stopped.countDown();
        }
    }

    /** One client, start to end, while everybody else waits. */
    private void converse(Socket client) {
        SocketAddress peer = client.getRemoteSocketAddress();
        console.event("connect", peer, "connected");
        console.explain(peer, "client, address = s.accept()", "ServerSocket.accept()", "a new socket, just for this client");
        try (client) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(Protocol.PROMPT);
            console.explain(peer, "client.send(b\"What's your student ID?\\n\")", "OutputStream.write()",
                    Protocol.bytesCount(Protocol.PROMPT.length) + " sent");
            IdReader reader = readId(client, in, peer);
            if (reader == null) {
                return;
            }
            byte[] id = Protocol.upperCaseAscii(reader.id());
            if (id.length == 0 && reader.end() == IdReader.End.END_OF_STREAM) {
                console.event("close", peer, "left without sending an ID");
                return;
            }
            console.event("id", peer, "ID " + Protocol.escape(id) + " (" + reader.end() + ")", "id", Protocol.escape(id));
            if (!record(peer, id)) {
                console.event("close", peer, "closed without acknowledgement: the ID could not be written to the roster");
                return;
            }
            out.write(Protocol.acknowledgement(id));
            console.explain(peer, "client.send(b\"ID received: \" + student_id + b\"\\n\")", "OutputStream.write()",
                    Protocol.bytesCount(Protocol.ACK_PREFIX.length + id.length + 1) + " sent");
            finish(client, in);
        } catch (IOException e) {
            console.event("close", peer, "connection failed: " + Errno.describe(e));
        } finally {
            console.explain(peer, "client.close()", "Socket.close()", "connection closed; back to accept()");
            console.flush();
        }
    }

    /** {@code client.recv(1000)}, repeated until the ID is whole (see {@link IdReader}); null if the client went silent. */
    private IdReader readId(Socket client, InputStream in, SocketAddress peer) throws IOException {
        IdReader reader = new IdReader();
        byte[] buffer = new byte[Protocol.MAX_ID_BYTES];
        long deadline = System.nanoTime() + settings.deadline().toNanos();
        while (!reader.complete()) {
            Duration wait = reader.started() ? Protocol.QUIET_PAUSE : settings.idleTimeout();
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                console.event("close", peer, "closed: conversation took longer than "
                        + DurationConverter.format(settings.deadline()) + " (deadline), no complete ID");
                return null;
            }
            client.setSoTimeout((int) Math.max(1, Math.min(wait.toMillis(), left)));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                if (reader.started()) {
                    reader.endOnQuietPause();
                    continue;
                }
                if (deadline - System.nanoTime() > 0) {
                    console.event("close", peer, "closed: silent for "
                            + DurationConverter.format(settings.idleTimeout()) + " (idle timeout)");
                    return null;
                }
                continue;
            }
            console.explain(peer, "client.recv(1000)", "InputStream.read()", n < 0
                    ? "b'': end of stream, the client closed its side"
                    : Protocol.bytesCount(n) + ": " + Protocol.pythonBytes(buffer, 0, n, 60));
            if (n < 0) {
                reader.endOfStream();
            } else {
                reader.feed(buffer, 0, n);
            }
        }
        return reader;
    }

    /**
     * Closing while the client's extra bytes sit unread would reset the connection and could destroy the
     * acknowledgement; so send FIN first and read what is left, briefly, as {@link Conversation} does.
     */
    private static void finish(Socket client, InputStream in) throws IOException {
        client.shutdownOutput();
        client.setSoTimeout((int) TcpServer.LINGER.toMillis());
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
    private boolean record(SocketAddress peer, byte[] id) {
        if (id.length == 0) {
            return true;
        }
        CompletableFuture<Boolean> kept = new CompletableFuture<>();
        settings.roster().record(peer, id, kept::complete);
        return kept.join();
    }
}
