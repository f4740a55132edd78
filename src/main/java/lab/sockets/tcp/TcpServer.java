package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.ClassList;
import lab.sockets.Console;
import lab.sockets.Lifecycle;
import lab.sockets.Narration;
import lab.sockets.Server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.Selector;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;



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
    static final int ACCEPTS_PER_WAKEUP = 64;

    /**
     * What the command line can change. {@code idPattern} (or null) is the IDs the class uses
     * ({@code --id-pattern}); {@code expected} (or null) the class list ({@code --expect});
     * {@code livePagePort} the live page's port if students' browsers may open it, else 0.
     */
    public record Settings(InetSocketAddress address, Limits limits, Roster roster, Pattern idPattern,
                           ClassList expected, int livePagePort) {
        public static Settings of(InetSocketAddress address) {
            return new Settings(address, Limits.DEFAULT, Roster.NONE, null, null, 0);
        }

        public Settings withLimits(Limits l) {
            return new Settings(address, l, roster, idPattern, expected, livePagePort);
        }

        public Settings withRoster(Roster r) {
            return new Settings(address, limits, r, idPattern, expected, livePagePort);
        }

        /** The live page's port when others can open it ({@code --web --web-bind 0.0.0.0}): a browser is told it. */
        public Settings withLivePage(int port) {
            return new Settings(address, limits, roster, idPattern, expected, port);
        }

        /** Who is expected and what their IDs look like: the reception refuses other IDs and lists the missing. */
        public Settings withClass(Pattern pattern, ClassList list) {
            return new Settings(address, limits, roster, pattern, list, livePagePort);
        }
    }

    /**
     * What bounds the server, so that no client, and no crowd, can hold it: how long a client may stay
     * silent ({@code idleTimeout}) and how long its whole conversation may take ({@code deadline}), how many
     * clients at once ({@code maxClients}), and how many connections may wait for {@code accept()}
     * ({@code backlog}).
     */
    public record Limits(Duration idleTimeout, Duration deadline, int maxClients, int backlog) {
        public static final Limits DEFAULT = new Limits(DEFAULT_IDLE_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_MAX_CLIENTS,
                DEFAULT_BACKLOG);

        public Limits withIdleTimeout(Duration d) {
            return new Limits(d, deadline, maxClients, backlog);
        }

        public Limits withMaxClients(int n) {
            return new Limits(idleTimeout, deadline, n, backlog);
        }

        public Limits withBacklog(int n) {
            return new Limits(idleTimeout, deadline, maxClients, n);
        }
    }

    final Settings settings;
    final Console console;
    final Narration narration;
    final Reception reception;
    final ServerSocketChannel listener;
    final List<EventLoop> loops = new ArrayList<>();
    final Lifecycle lifecycle;
    final AtomicInteger clients = new AtomicInteger();
    /** Set while accept() fails for want of descriptors: logged once when it starts, once when it ends. */
    final AtomicBoolean acceptStarved = new AtomicBoolean();

    private TcpServer(Settings settings, Console console, ServerSocketChannel listener, int threads)
            throws IOException {
        this.settings = settings;
        this.console = console;
        this.narration = new Narration(console);
        this.reception = new Reception(console, settings);
        this.listener = listener;
        this.lifecycle = new Lifecycle(threads, SHUTDOWN_GRACE, console, reception::summary);
        for (int i = 0; i < threads; i++) {
            loops.add(new EventLoop(this, i));
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
        Narration narration = new Narration(console);
        ServerSocketChannel listener = openListener(settings, narration);
        try {
            narration.listen(String.valueOf(settings.limits().backlog()), settings.limits().backlog(),
                    "queues up to " + settings.limits().backlog() + " connections for accept()");
            listener.configureBlocking(false);
            int threads = loopsFor(Runtime.getRuntime().availableProcessors());
            TcpServer server = new TcpServer(settings, console, listener, threads);
            for (EventLoop loop : server.loops) {
                loop.thread.start();
            }
            narration.acceptWaiting("Selector.select() in " + threads + (threads == 1 ? " thread" : " threads"),
                    "unlike the slides, no accept() or recv() blocks here: each thread waits on all its sockets at once"
                            + " (epoll) and does whichever step is ready");
            return server;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /**
     * The slides' {@code s = socket.socket(AF_INET, SOCK_STREAM)}, then {@code s.bind((HOST, PORT))} and
     * {@code s.listen()}: a listening socket, for either TCP server, or an exception and nothing left open.
     */
    static ServerSocketChannel openListener(Settings settings, Narration narration) throws IOException {
        StandardProtocolFamily family = Addresses.family(settings.address());
        ServerSocketChannel listener = ServerSocketChannel.open(family);
        narration.socket(family, true, "ServerSocketChannel.open(" + family + ")");
        try {
            // Lets a restarted server bind at once, while the last run's connections sit in TIME_WAIT.
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            bindAndListen(listener, settings, narration);
            return listener;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** The slides' {@code s.bind((HOST, PORT))} and {@code s.listen()}: in Java, one call does both. */
    private static void bindAndListen(ServerSocketChannel listener, Settings settings, Narration narration)
            throws IOException {
        InetSocketAddress address = settings.address();
        int backlog = settings.limits().backlog();
        String java = "ServerSocketChannel.bind(" + Addresses.format(address) + ", " + backlog + ")";
        try {
            listener.bind(address, backlog);
        } catch (IOException e) {
            narration.bind(true, address, java, null, e);
            throw e;
        }
        narration.bind(true, address, java, (InetSocketAddress) listener.getLocalAddress(), null);
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
        lifecycle.stop(() -> {
            // Stop listening now: a client arriving during the grace period is refused at once, rather than
            // left in the backlog until the grace ends.
            closeQuietly(listener);
            for (EventLoop loop : loops) {
                loop.selector.wakeup();
            }
        });
    }

    @Override
    public Lifecycle lifecycle() {
        return lifecycle;
    }


    @Override
    public int connectedNow() {
        return clients.get();
    }

    /** The slides' {@code client.close()} (or {@code s.close()}), for a socket that has nothing more to say. */
    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the socket is released either way
        }
    }
}
