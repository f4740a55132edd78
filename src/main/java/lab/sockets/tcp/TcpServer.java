package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Protocol;
import lab.sockets.Server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;



/**
 * The slides' TCP server, for a whole class at once: bind, listen, then accept and converse with many
 * clients at the same time, each conversation being the slides' send, recv, close.
 *
 * <p>The slides' code blocks in {@code accept()} and then in {@code recv()}, so while one student is
 * typing, nobody else is served. This server never blocks on one client: a few event-loop threads (see
 * {@link #loopsFor}) each ask the kernel, through a {@link Selector} (epoll on Linux), "which of my sockets
 * can make progress now?", and do just that step for each: accept a new client, send its prompt, read
 * what it typed so far, send its acknowledgement. A client's state between steps lives in its
 * {@link Conversation}. Every loop waits on the same listening socket, so whichever is free accepts.
 * Ten thousand silent clients cost a few megabytes, not ten thousand threads.
 *
 * <p>Time limits: a client that sends nothing for {@code idleTimeout}, or whose whole conversation
 * takes longer than {@code deadline}, is closed with a log line. A client beyond {@code maxClients} is
 * told the server is busy and closed at once. If the process runs out of file descriptors, the loops
 * stop accepting for a moment instead of spinning, and resume by themselves.
 */
public final class TcpServer implements Server {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);
    /** Far above a class; bounded so a flood cannot take every file descriptor of the machine. */
    public static final int DEFAULT_MAX_CLIENTS = 20_000;
    /** Java's default backlog is 50, which drops connections when a class connects at the same second. */
    public static final int DEFAULT_BACKLOG = 4096;
    /** How long an ended conversation may still drain what the client sends before we close. */
    static final Duration LINGER = Duration.ofSeconds(1);
    /** After running out of file descriptors, how long to wait before accepting again. */
    static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);
    /** How long {@link #close()} lets conversations in flight finish. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);
    private static final int ACCEPTS_PER_WAKEUP = 64;

    /** What the command line can change. */
    public record Settings(InetSocketAddress address, Duration idleTimeout, Duration deadline,
                           int maxClients, int backlog, Roster roster) {
        public static Settings of(InetSocketAddress address) {
            return new Settings(address, DEFAULT_IDLE_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_MAX_CLIENTS,
                    DEFAULT_BACKLOG, Roster.NONE);
        }

        public Settings withIdleTimeout(Duration d) {
            return new Settings(address, d, deadline, maxClients, backlog, roster);
        }

        public Settings withDeadline(Duration d) {
            return new Settings(address, idleTimeout, d, maxClients, backlog, roster);
        }

        public Settings withMaxClients(int n) {
            return new Settings(address, idleTimeout, deadline, n, backlog, roster);
        }

        public Settings withBacklog(int n) {
            return new Settings(address, idleTimeout, deadline, maxClients, n, roster);
        }

        public Settings withRoster(Roster r) {
            return new Settings(address, idleTimeout, deadline, maxClients, backlog, r);
        }
    }

    final Settings settings;
    final Console console;
    private final ServerSocketChannel listener;
    private final List<EventLoop> loops = new ArrayList<>();
    private final CountDownLatch stopped;
    final AtomicInteger clients = new AtomicInteger();
    /** Set while accept() fails for want of descriptors: logged once when it starts, once when it ends. */
    private final AtomicBoolean acceptStarved = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile long stopDeadline;

    private TcpServer(Settings settings, Console console, ServerSocketChannel listener, int threads)
            throws IOException {
        this.settings = settings;
        this.console = console;
        this.listener = listener;
        this.stopped = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            loops.add(new EventLoop(i));
        }
    }

    /**
     * One event loop for every two cores. Most of a conversation's work is the kernel's (about two thirds of
     * the CPU, in our system calls and in the network processing beside them), and the clients need CPU too
     * when they run on the same machine: on 2 cores with a load generator beside it, one loop served 19%
     * more conversations a second than two, at 20% less CPU each, and accepted 10,000 clients faster.
     */
    static int loopsFor(int cores) {
        return Math.max(1, cores / 2);
    }

    /**
     * Binds and starts serving: the slides' {@code s.bind((HOST, PORT))} and {@code s.listen()}.
     * Returns once the socket is listening, so a client may connect as soon as this returns.
     *
     * @throws IOException if the address cannot be bound (in use, not this machine's, not permitted)
     */
    public static TcpServer start(Settings settings, Console console) throws IOException {
        StandardProtocolFamily family = Addresses.family(settings.address());
        ServerSocketChannel listener = ServerSocketChannel.open(family);
        console.explain(null, "s = socket.socket(AF_" + family + ", SOCK_STREAM)", "ServerSocketChannel.open(" + family + ")",
                "a TCP socket for " + Server.clients(family));
        try {
            // Lets a restarted server bind at once, while the last run's connections sit in TIME_WAIT.
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            bindAndListen(listener, settings, console);
            listener.configureBlocking(false);
            int threads = loopsFor(Runtime.getRuntime().availableProcessors());
            TcpServer server = new TcpServer(settings, console, listener, threads);
            for (EventLoop loop : server.loops) {
                loop.thread.start();
            }
            console.explain(null, "client, address = s.accept()", "Selector.select() in " + threads + (threads == 1 ? " thread" : " threads"),
                    "unlike the slides, no accept() or recv() blocks here: each thread waits on all its sockets at once"
                            + " (epoll) and does whichever step is ready");
            return server;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** The slides' {@code s.bind((HOST, PORT))} and {@code s.listen()}: in Java, one call does both. */
    private static void bindAndListen(ServerSocketChannel listener, Settings settings, Console console)
            throws IOException {
        InetSocketAddress address = settings.address();
        String host = address.getAddress().isAnyLocalAddress() ? "" : Addresses.host(address.getAddress());
        String python = "s.bind((\"" + host + "\", " + address.getPort() + "))";
        String java = "ServerSocketChannel.bind(" + Addresses.format(address) + ", " + settings.backlog() + ")";
        try {
            listener.bind(address, settings.backlog());
        } catch (IOException e) {
            console.explain(null, python, java, "failed: " + Errno.describe(e));
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
        console.explain(null, python, java, "bound to port " + bound.getPort()
                + Server.boundOn(bound.getAddress())
                + (address.getPort() == 0 ? ", a port the OS chose" : ""));
        console.explain(null, "s.listen(" + settings.backlog() + ")", "(the same bind call)",
                "listening: the kernel completes handshakes by itself and queues up to " + settings.backlog()
                        + " connections for accept()");
    }

    /** The address and port really bound: with port 0 the OS chose the port. */
    @Override
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            return settings.address();
        }
    }

    /**
     * Stops accepting, lets conversations in flight finish for up to {@link #SHUTDOWN_GRACE}, then closes
     * what is left and returns. Safe to call more than once, from any thread.
     */
    @Override
    public void close() {
        if (!stopping) {
            stopDeadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
            stopping = true;
            // Stop listening now: a client arriving during the grace period is refused at once, rather than
            // left in the backlog until the grace ends.
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            for (EventLoop loop : loops) {
                loop.selector.wakeup();
            }
        }
        awaitStopped(SHUTDOWN_GRACE.plusSeconds(1));
        console.flush();
    }

    @Override
    public boolean awaitStopped(Duration timeout) {
        return Server.await(stopped, timeout);
    }

    @Override
    public int connectedNow() {
        return clients.get();
    }

    /**
     * One thread, one selector: waits for whichever of its sockets can make progress and makes it.
     * Conversations accepted by a loop stay on it, so a conversation is only ever touched by one thread.
     */
    final class EventLoop implements Runnable {
        final Selector selector;
        final Thread thread;
        /** Shared by this loop's conversations: each read is handled before the next one starts. */
        final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
        /** Work handed to this loop by other threads (an ID made durable by the roster). */
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private SelectionKey acceptKey;
        private long nextTimerCheck = Long.MAX_VALUE;
        private long acceptPausedUntil;
        /** Conversations ended, their keys cancelled: closed once the selector has let go of them. */
        private final List<SocketChannel> closing = new ArrayList<>();

        EventLoop(int index) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, "tcp-loop-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT);
                while (!stopping || !finishedStopping()) {
                    long timeout = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTimerCheck - System.nanoTime()) + 1);
                    if (closing.isEmpty()) {
                        selector.select(this::ready, stopping ? 10 : Math.min(timeout, 60_000));
                    } else {
                        selector.selectNow(this::ready);
                    }
                    closeDeregistered();
                    runTasks();
                    if (System.nanoTime() - nextTimerCheck >= 0) {
                        checkTimers();
                    }
                    console.flush();
                }
            } catch (IOException | ClosedSelectorException e) {
                console.problem("error", null, "event loop failed: " + e);
            } finally {
                closeAll();
                stopped.countDown();
            }
        }

        private void ready(SelectionKey key) {
            if (key == acceptKey) {
                acceptClients();
            } else {
                ((Conversation) key.attachment()).ready(key);
            }
        }

        /** The slides' {@code client, address = s.accept()}, for every client waiting in the backlog. */
        private void acceptClients() {
            for (int i = 0; i < ACCEPTS_PER_WAKEUP && !stopping; i++) {
                SocketChannel channel;
                try {
                    channel = listener.accept();
                } catch (IOException e) {
                    if (!stopping) {   // closing the listener to stop makes accept() fail too: not a problem
                        pauseAccepting(e);
                    }
                    return;
                }
                if (channel == null) {
                    return;   // another loop took it, or the backlog is empty
                }
                if (acceptStarved.compareAndSet(true, false)) {
                    console.problem("accept-resumed", null, "accept() works again: accepting new connections");
                }
                if (clients.incrementAndGet() > settings.maxClients()) {
                    clients.decrementAndGet();
                    refuseBusy(channel);
                } else {
                    Conversation.begin(TcpServer.this, this, channel);
                }
            }
        }

        /**
         * accept() failed, most likely with EMFILE: no file descriptor left for the new socket. The client
         * stays in the backlog and the listening socket stays readable, so accepting again at once would
         * spin; stop watching it for a moment and let finished conversations give descriptors back.
         */
        private void pauseAccepting(IOException e) {
            if (acceptStarved.compareAndSet(false, true)) {
                console.problem("accept-paused", null, "accept() failed: " + Errno.describe(e)
                        + "; new connections wait in the backlog, retrying every " + ACCEPT_BACKOFF.toMillis() + " ms");
            }
            acceptKey.interestOps(0);
            acceptPausedUntil = System.nanoTime() + ACCEPT_BACKOFF.toNanos();
            wakeAt(acceptPausedUntil);
        }

        private void refuseBusy(SocketChannel channel) {
            try (channel) {
                console.event("busy", channel.getRemoteAddress(),
                        "refused: server busy (" + settings.maxClients() + " clients connected)");
                channel.configureBlocking(false);
                channel.write(ByteBuffer.wrap(Protocol.BUSY));   // best effort: fits in any empty send buffer
            } catch (IOException ignored) {
                // the client is gone already: nothing to tell it
            }
        }

        /** Asks the loop to check timers no later than {@code nanoTime}. */
        void wakeAt(long nanoTime) {
            if (nanoTime - nextTimerCheck < 0) {
                nextTimerCheck = nanoTime;
            }
        }

        /** Runs {@code task} on this loop's thread: now if called from it, else as soon as the loop wakes. */
        void execute(Runnable task) {
            if (Thread.currentThread() == thread) {
                task.run();
            } else {
                tasks.add(task);
                selector.wakeup();
            }
        }

        /**
         * The slides' {@code client.close()}, for a conversation whose key is cancelled. Closing a channel the
         * selector still holds makes the JDK ask for SO_LINGER and shut the socket down once more, two system
         * calls of the 17 or so a conversation costs; the next select() lets go of it, and then it is closed.
         */
        void close(SocketChannel channel) {
            closing.add(channel);
        }

        private void closeDeregistered() {
            closing.removeIf(channel -> {
                if (channel.isRegistered()) {
                    return false;   // cancelled during this select(): the next one lets go of it
                }
                closeQuietly(channel);
                return true;
            });
        }

        private void runTasks() {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }

        /** Ends the conversations whose time is up, and finds when to look again. */
        private void checkTimers() {
            long now = System.nanoTime();
            nextTimerCheck = now + TimeUnit.SECONDS.toNanos(60);
            if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
                acceptPausedUntil = 0;
                if (acceptKey.isValid() && !stopping) {
                    acceptKey.interestOps(SelectionKey.OP_ACCEPT);
                }
            } else if (acceptPausedUntil != 0) {
                wakeAt(acceptPausedUntil);
            }
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Conversation) {
                    Conversation conversation = (Conversation) key.attachment();
                    long deadline = conversation.deadline();
                    if (now - deadline >= 0) {
                        conversation.timeUp(now);
                    } else {
                        wakeAt(deadline);
                    }
                }
            }
        }

        /** While stopping: stop accepting; done once no conversation is left, or the grace period is over. */
        private boolean finishedStopping() {
            if (acceptKey != null && acceptKey.isValid()) {
                acceptKey.cancel();
            }
            runTasks();
            boolean anyLeft = false;
            for (SelectionKey key : selector.keys()) {
                anyLeft |= key.isValid() && key.attachment() instanceof Conversation;
            }
            return !anyLeft || System.nanoTime() - stopDeadline >= 0;
        }

        private void closeAll() {
            try {
                for (SelectionKey key : selector.keys()) {
                    if (key.attachment() instanceof Conversation) {
                        ((Conversation) key.attachment()).abandon("server shutting down");
                    }
                }
                selector.close();
            } catch (IOException | ClosedSelectorException ignored) {
                // closing anyway
            }
            closing.forEach(TcpServer::closeQuietly);
            closing.clear();
            console.flush();
        }
    }

    /** The slides' {@code client.close()}, for a socket that has nothing more to say. */
    static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the socket is released either way
        }
    }
}
