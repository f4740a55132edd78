package lab.sockets.load;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Protocol;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Many simulated students against one TCP server that speaks the lab protocol (ours, the slides' Python
 * server, a student's own). Each simulated client does what the slides' client does: connect, read the
 * prompt (and check it is exactly {@code What's your student ID?\n}), send an ID, read the acknowledgement if
 * the server sends one, until the server closes.
 *
 * <p>Two ways to run:
 * <ul>
 *   <li><b>closed loop</b> ({@link Settings#closedLoop}): N clients, each starting its next conversation as
 *       soon as the last one ended, for a fixed time. It measures conversations per second and how long
 *       each took; against the slides' one-at-a-time server, most clients are seen waiting in the queue.</li>
 *   <li><b>hold</b> ({@link Settings#hold}): N clients connect and stay silent (a class typing), then all
 *       answer at once. It measures the time to get them all accepted and the time to serve them all.</li>
 * </ul>
 *
 * <p>Its own cost must stay small next to the server it measures, so it is built like the server: a few
 * threads, each with a {@link Selector} (epoll) driving thousands of non-blocking sockets, not a thread per
 * client. Every wait is bounded by {@code timeout}: a client that makes no progress in that time is counted
 * as a timeout and closed.
 *
 * <p>The client always closes <em>after</em> the server (it reads until end of stream, then closes). The side
 * that closes first keeps the connection in TIME_WAIT for a minute; on loopback, a closed loop of 20,000
 * conversations a second would use up the 28,000 ephemeral ports of the client side in under two seconds if
 * that side were the client's. (Closing with SO_LINGER 0 would avoid TIME_WAIT by sending a reset, but the
 * server would see every conversation end in an error.)
 */
public final class TcpLoad {
    public static final int DEFAULT_CLIENTS = 50;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HOLD_FOR = Duration.ofSeconds(3);
    /** Far more than a class; each client is a socket, so a file descriptor and an ephemeral port. */
    public static final int MAX_CLIENTS = 20_000;
    /** IDs look like the slides' {@code B08902001}: this, then the client's number on four digits. */
    static final String ID_PREFIX = "b0890";
    /** A client whose connection failed waits this long before trying again, as a student would. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(100);
    /** How often a thread looks for clients whose time is up. */
    private static final long TIMER_TICK_MILLIS = 50;
    /** Reads per readiness event, so one server that streams bytes endlessly cannot hold a thread. */
    private static final int READS_PER_EVENT = 8;

    /** What went wrong with a conversation. */
    public enum Problem {
        REFUSED("refused"),           // ECONNREFUSED: nothing listens on that port
        RESET("reset"),               // ECONNRESET, EPIPE: the server aborted the connection
        TIMEOUT("timeout"),           // no progress within the timeout (a full backlog drops SYNs, too)
        WRONG_PROMPT("wrong prompt"), // the first bytes were not exactly the prompt, or it closed before
        CLOSED_EARLY("closed early"), // the server closed a held client before it sent its ID
        OTHER("other");               // anything else, e.g. EADDRNOTAVAIL: no ephemeral port left

        final String label;

        Problem(String label) {
            this.label = label;
        }
    }

    /** What to run; see {@link #closedLoop} and {@link #hold}. */
    public record Settings(InetSocketAddress server, int clients, Duration duration, boolean hold,
                           Duration holdFor, Duration timeout, int threads) {
        public Settings {
            if (clients < 1 || clients > MAX_CLIENTS) {
                throw new IllegalArgumentException("clients must be between 1 and " + MAX_CLIENTS);
            }
            threads = Math.max(1, Math.min(threads, clients));
        }

        /** {@code clients} clients, each starting a new conversation as soon as one ends, for {@code duration}. */
        public static Settings closedLoop(InetSocketAddress server, int clients, Duration duration) {
            return new Settings(server, clients, duration, false, Duration.ZERO, DEFAULT_TIMEOUT, defaultThreads());
        }

        /** {@code clients} connections held silent for {@code holdFor} once all are prompted, then all answered. */
        public static Settings hold(InetSocketAddress server, int clients, Duration holdFor) {
            return new Settings(server, clients, Duration.ZERO, true, holdFor, DEFAULT_TIMEOUT, defaultThreads());
        }

        public Settings withTimeout(Duration t) {
            return new Settings(server, clients, duration, hold, holdFor, t, threads);
        }

        public Settings withThreads(int n) {
            return new Settings(server, clients, duration, hold, holdFor, timeout, n);
        }

        /** One thread per core, at most 4: enough to keep a server busy, few enough to leave it the CPU. */
        static int defaultThreads() {
            return Math.min(4, Runtime.getRuntime().availableProcessors());
        }
    }

    private final Settings settings;
    private final Console progress;
    private final List<Loop> loops = new ArrayList<>();
    private final CountDownLatch loopsEnded;
    /** Set by the coordinating thread, read by the loops: what they should be doing now. */
    private volatile Phase phase = Phase.CONNECT;

    private enum Phase { CONNECT, ANSWER, STOP }

    private TcpLoad(Settings settings, Console progress) throws IOException {
        this.settings = settings;
        this.progress = progress;
        for (int i = 0; i < settings.threads(); i++) {
            loops.add(new Loop(i));
        }
        for (int n = 0; n < settings.clients(); n++) {
            Loop loop = loops.get(n % loops.size());
            loop.clients.add(new Client(loop, n));
        }
        loopsEnded = new CountDownLatch(loops.size());
    }

    /**
     * Runs the load as {@code settings} say and returns what it measured. It ends by itself: after the
     * duration (closed loop), or once every held client was served or gave up (hold). {@code progress}
     * gets a line each second.
     */
    public static TcpLoadResult run(Settings settings, Console progress) throws IOException {
        TcpLoad load = new TcpLoad(settings, progress);
        try {
            return settings.hold() ? load.runHold() : load.runClosedLoop();
        } finally {
            load.stop();
        }
    }

    private TcpLoadResult runClosedLoop() throws InterruptedIOException {
        long start = System.nanoTime();
        startLoops();
        long end = start + settings.duration().toNanos();
        long second = TimeUnit.SECONDS.toNanos(1);
        long nextLine = start + second;
        long shown = 0;
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0 || await(loopsEnded, Math.min(nextLine, end) - now)) {
                break;   // time is up (or every loop failed, which it has said on the console)
            }
            if (System.nanoTime() - nextLine >= 0) {
                long total = sum(loop -> loop.completed.get());
                progress.event("progress", null, String.format(Locale.ROOT,
                        "%3d s: %,d conversations (%,d/s), %,d errors, %,d clients busy",
                        TimeUnit.NANOSECONDS.toSeconds(nextLine - start), total, total - shown,
                        sum(loop -> loop.failed.get()), sum(loop -> loop.busy.get())),
                        "conversations", String.valueOf(total));
                progress.flush();
                shown = total;
                nextLine += second;
            }
        }
        long elapsed = System.nanoTime() - start;
        stop();
        return TcpLoadResult.closedLoop(settings, elapsed, loops);
    }

    private TcpLoadResult runHold() throws InterruptedIOException {
        // 1. connect all, each reads its prompt and then stays silent
        long start = System.nanoTime();
        startLoops();
        awaitPhase("connecting", start, loop -> loop.settled, loop -> loop.prompted.get());
        long prompted = sum(loop -> loop.prompted.get());
        long connectNanos = latest(loop -> loop.lastSettled) - start;
        // 2. hold them silent: a class typing
        long holdEnd = System.nanoTime() + settings.holdFor().toNanos();
        for (long left; (left = holdEnd - System.nanoTime()) > 0; ) {
            progress.event("progress", null, String.format(Locale.ROOT, "holding %,d silent connections, %.1f s left",
                    sum(loop -> loop.held.get()), left / 1e9));
            progress.flush();
            if (await(loopsEnded, Math.min(left, TimeUnit.SECONDS.toNanos(1)))) {
                break;   // every loop failed, and said so
            }
        }
        // 3. every held client sends its ID at once
        long answerStart = System.nanoTime();
        phase = Phase.ANSWER;
        for (Loop loop : loops) {
            loop.selector.wakeup();
        }
        awaitPhase("answering", answerStart, loop -> loop.answered, loop -> loop.completed.get());
        long serveNanos = Math.max(0, latest(loop -> loop.lastSettled) - answerStart);
        stop();
        return TcpLoadResult.hold(settings, prompted, connectNanos, serveNanos, loops);
    }

    /** Waits until every loop has settled all its clients for this phase, printing progress each second. */
    private void awaitPhase(String what, long start, Function<Loop, CountDownLatch> latch,
                            ToLongFunction<Loop> count) throws InterruptedIOException {
        // Each client settles within the timeout by itself; the extra time only guards against a bug.
        long end = System.nanoTime() + settings.timeout().toNanos() + TimeUnit.SECONDS.toNanos(10);
        for (Loop loop : loops) {
            while (!await(latch.apply(loop), Math.min(TimeUnit.SECONDS.toNanos(1), end - System.nanoTime()))) {
                if (System.nanoTime() - end >= 0) {
                    return;
                }
                progress.event("progress", null, String.format(Locale.ROOT, "%s: %,d of %,d done after %.1f s, %,d errors",
                        what, sum(count), settings.clients(), (System.nanoTime() - start) / 1e9, sum(l -> l.failed.get())));
                progress.flush();
            }
        }
    }

    private void startLoops() {
        for (Loop loop : loops) {
            loop.thread.start();
        }
    }

    /** Tells the loops to stop, and waits until they have closed their sockets. Safe to call twice. */
    private void stop() throws InterruptedIOException {
        phase = Phase.STOP;
        for (Loop loop : loops) {
            loop.selector.wakeup();
        }
        for (Loop loop : loops) {
            if (loop.thread.isAlive()) {
                try {
                    loop.thread.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while stopping the load threads");
                }
            }
        }
    }

    private long sum(ToLongFunction<Loop> count) {
        long total = 0;
        for (Loop loop : loops) {
            total += count.applyAsLong(loop);
        }
        return total;
    }

    private long latest(ToLongFunction<Loop> time) {
        long latest = Long.MIN_VALUE;
        for (Loop loop : loops) {
            latest = Math.max(latest, time.applyAsLong(loop));
        }
        return latest;
    }

    /** {@code 3 s} or {@code 500 ms}, as people write it. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static boolean await(CountDownLatch latch, long nanos) throws InterruptedIOException {
        try {
            return latch.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /**
     * One thread and one selector, driving its share of the clients. Everything a client holds is only
     * touched by this thread; the counters that other threads read (for progress) are atomics.
     */
    final class Loop implements Runnable {
        final Selector selector;
        final Thread thread;
        final List<Client> clients = new ArrayList<>();
        /** One buffer for every read of this thread: each read is looked at before the next one. */
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(4096);
        final Latencies latencies = new Latencies();
        final long[] problems = new long[Problem.values().length];
        String firstOther;
        long acknowledged;
        long otherReplies;
        long noReplies;
        final AtomicLong completed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        /** Clients with a conversation under way (closed loop), for the progress line. */
        final AtomicLong busy = new AtomicLong();
        final AtomicLong prompted = new AtomicLong();
        final AtomicLong held = new AtomicLong();
        /** Hold mode: counted down once every client of this loop has settled its phase. */
        final CountDownLatch settled = new CountDownLatch(1);
        final CountDownLatch answered = new CountDownLatch(1);
        private int unsettled;
        volatile long lastSettled;
        private Phase seen = Phase.CONNECT;
        /** Filled in when the loop stops: clients still in the middle of a conversation, by stage. */
        final long[] waiting = new long[Stage.values().length];
        long oldestWaitNanos;

        Loop(int index) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, "tcp-load-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                long now = System.nanoTime();
                lastSettled = now;
                unsettled = clients.size();
                for (Client client : clients) {
                    client.connect(now);
                }
                long nextTick = now;
                while (phase != Phase.STOP) {
                    selector.select(key -> ((Client) key.attachment()).ready(key), TIMER_TICK_MILLIS);
                    if (phase != seen) {
                        seen = phase;
                        if (phase == Phase.ANSWER) {
                            answerAll();
                        }
                    }
                    now = System.nanoTime();
                    if (now - nextTick >= 0) {
                        nextTick = now + TimeUnit.MILLISECONDS.toNanos(TIMER_TICK_MILLIS);
                        for (Client client : clients) {
                            client.checkTime(now);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                progress.problem("error", null, "load thread failed: " + e);
            } finally {
                closeAll();
                settled.countDown();    // nobody waits for a phase on a loop that is gone
                answered.countDown();
                loopsEnded.countDown();
            }
        }

        /** Hold mode, phase 3: every client still holding its connection sends its ID now. */
        private void answerAll() {
            long now = System.nanoTime();
            lastSettled = now;
            unsettled = 0;
            for (Client client : clients) {
                client.pending = client.stage == Stage.HELD;   // a straggler of phase 1 no longer counts
                if (client.pending) {
                    unsettled++;
                }
            }
            if (unsettled == 0) {
                answered.countDown();
            }
            for (Client client : clients) {
                if (client.stage == Stage.HELD) {
                    client.sendId(now);
                }
            }
        }

        /** Hold mode: {@code client} is done with the current phase (well or not). */
        void settle(Client client, long now) {
            if (!client.pending) {
                return;   // it settled this phase already (a held client the server closed during the hold)
            }
            client.pending = false;
            lastSettled = now;
            if (--unsettled == 0) {
                (seen == Phase.ANSWER ? answered : settled).countDown();
            }
        }

        private void closeAll() {
            long now = System.nanoTime();
            for (Client client : clients) {
                if (client.stage.waiting) {
                    waiting[client.stage.ordinal()]++;
                    oldestWaitNanos = Math.max(oldestWaitNanos, now - client.started);
                }
                client.close();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // the sockets are closed already
            }
        }
    }

    /** Where a client is in its conversation. */
    enum Stage {
        CONNECTING(true),   // connect() sent a SYN: the server's kernel has not completed the handshake
        PROMPT(true),       // connected (queued in the server's backlog) but no prompt yet: not accept()ed
        HELD(false),        // hold mode: prompted, staying silent
        REPLY(true),        // the ID is sent: waiting for the acknowledgement and the server's close
        PAUSED(false),      // after an error, waiting a moment before connecting again
        DONE(false);        // hold mode: finished

        /** Whether a client in this stage is waiting on the server. */
        final boolean waiting;

        Stage(boolean waiting) {
            this.waiting = waiting;
        }
    }

    /** One simulated student: the slides' client, written as a state machine so one thread runs thousands. */
    final class Client {
        private final Loop loop;
        private final ByteBuffer idLine;
        private final byte[] expectedAck;
        Stage stage = Stage.DONE;
        long started;
        /** Hold mode: this client counts for the phase under way until it settles. */
        boolean pending;
        private long deadline;
        private SocketChannel channel;
        private SelectionKey key;
        private int promptSeen;
        private int replyLength;
        private boolean replyMatches;

        Client(Loop loop, int number) {
            this.loop = loop;
            byte[] id = String.format(Locale.ROOT, "%s%04d", ID_PREFIX, number % 10_000).getBytes(UTF_8);
            this.expectedAck = Protocol.acknowledgement(Protocol.upperCaseAscii(id));
            byte[] line = new byte[id.length + 1];
            System.arraycopy(id, 0, line, 0, id.length);
            line[id.length] = Protocol.NEWLINE;
            this.idLine = ByteBuffer.wrap(line);
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
            if (!settings.hold()) {
                loop.busy.incrementAndGet();
            }
            try {
                channel = SocketChannel.open(Addresses.family(settings.server()));
                channel.configureBlocking(false);
                boolean connected = channel.connect(settings.server());
                key = channel.register(loop.selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
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
            ByteBuffer buffer = loop.readBuffer;
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
        private void take(byte b) throws IOException {
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
                replyLength++;
            }
            // HELD: the server said more than the prompt before our ID; nothing in the protocol, ignored
        }

        private void prompted() throws IOException {
            if (settings.hold()) {
                stage = Stage.HELD;
                loop.prompted.incrementAndGet();
                loop.held.incrementAndGet();
                loop.settle(this, System.nanoTime());
            } else {
                sendId(started);
            }
        }

        /** The slides' {@code s.send(student_id)}, with a newline as {@code nc} and {@code tcp-client} send it. */
        void sendId(long since) {
            if (stage == Stage.HELD) {
                loop.held.decrementAndGet();
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
            // Ten bytes always fit in a new socket's send buffer; a partial write is handled all the same.
            key.interestOps(idLine.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void endOfStream() throws IOException {
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
            loop.latencies.record(now - started);
            if (replyLength == 0) {
                loop.noReplies++;
            } else if (replyMatches && replyLength == expectedAck.length) {
                loop.acknowledged++;
            } else {
                loop.otherReplies++;
            }
            close();
            loop.completed.incrementAndGet();
            next(now);
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
                loop.held.decrementAndGet();
            }
            loop.problems[problem.ordinal()]++;
            if (problem == Problem.OTHER && loop.firstOther == null) {
                loop.firstOther = detail;
            }
            loop.failed.incrementAndGet();
            close();
            long now = System.nanoTime();
            if (settings.hold()) {
                next(now);
            } else {
                loop.busy.decrementAndGet();
                stage = Stage.PAUSED;
                deadline = now + RETRY_PAUSE.toNanos();
            }
        }

        /** After a conversation: the closed loop starts the next one at once; a held client is done. */
        private void next(long now) {
            if (settings.hold()) {
                stage = Stage.DONE;
                loop.settle(this, now);
            } else if (phase == Phase.STOP) {
                stage = Stage.DONE;
            } else {
                loop.busy.decrementAndGet();
                connect(now);
            }
        }

        /** Called by the loop every tick: a wait that took too long ends here. */
        void checkTime(long now) {
            if (now - deadline < 0) {
                return;
            }
            if (stage == Stage.PAUSED && phase != Phase.STOP) {
                connect(now);
            } else if (stage.waiting) {
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
}
