package lab.sockets.udp;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Lifecycle;
import lab.sockets.Narration;
import lab.sockets.Protocol;
import lab.sockets.Server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The slides' UDP server: bind, then for every datagram {@code recvfrom}, print, and
 * {@code sendto(b'data received', addr)}.
 * <pre>
 *   sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
 *   sock.bind((UDP_IP, UDP_PORT))
 *   while True:
 *       data, addr = sock.recvfrom(1024)
 *       sock.sendto(b'data received', addr)
 * </pre>
 * Differences from the slides, each for a reason:
 * <ul>
 *   <li>It receives whole datagrams, up to {@value Protocol#MAX_DATAGRAM_BYTES} bytes; the slides'
 *       {@code recvfrom(1024)} silently drops the rest of a longer one.</li>
 *   <li>An error with one datagram (the reply cannot be sent) is logged and the server goes on: there
 *       is no connection to end, and other senders are still waiting ("we can keep serving requests").</li>
 *   <li>It will not answer a datagram that is itself a {@code data received} reply, nor one from a port
 *       below 1024 (echo, chargen, DNS live there): two echo servers that answer everything can be set
 *       ping-ponging forever by one forged datagram (the "Loop DoS" attack, CVE-2024-2169).</li>
 * </ul>
 * One thread serves, blocking in {@code recvfrom} as the slides do: a datagram takes microseconds of work,
 * with no conversation to wait on. A second one, a timer, sends the replies held back by {@code --delay}
 * and, once a second, the counts of datagrams not shown.
 */
public final class UdpServer implements Server {
    /**
     * What the command line can change. {@code drop} (0 to 1) and {@code delayMin}..{@code delayMax}
     * make UDP's unreliability visible on loopback, where nothing is ever lost: each reply is dropped
     * with that probability, or sent after a random delay in that range; a given {@code seed} makes the
     * same datagrams meet the same fate, run after run.
     */
    public record Settings(InetSocketAddress address, double drop, Duration delayMin, Duration delayMax, long seed,
                           int shownPerSecond) {
        public static Settings of(InetSocketAddress address) {
            return new Settings(address, 0, Duration.ZERO, Duration.ZERO, 0, DEFAULT_SHOWN_PER_SECOND);
        }

        public Settings withLoss(double dropProbability, Duration minDelay, Duration maxDelay, long randomSeed) {
            return new Settings(address, dropProbability, minDelay, maxDelay, randomSeed, shownPerSecond);
        }

        /** At most {@code n} datagrams of one sender are shown each second (0: all of them). */
        public Settings withShownPerSecond(int n) {
            return new Settings(address, drop, delayMin, delayMax, seed, n);
        }

        boolean unreliable() {
            return drop > 0 || !delayMax.isZero();
        }
    }


    /** The longest part of a datagram shown on the console; the length is always shown. */
    static final int MAX_SHOWN_BYTES = Protocol.MAX_ID_BYTES;
    /** A class sends a few datagrams each; a script sending thousands a second gets one summary line a second. */
    public static final int DEFAULT_SHOWN_PER_SECOND = 20;
    /** Ports below this are privileged services; never answer them (loop protection). */
    static final int FIRST_UNPRIVILEGED_PORT = 1024;
    /** How many senders we remember having warned about, so each is logged once, not per datagram. */
    private static final int WARNED_SENDERS = 4096;

    private final DatagramChannel channel;
    private final Console console;
    private final Narration narration;
    private final Settings settings;
    private final Random fate;
    /** Sends the replies held back by --delay, and the once-a-second counts of datagrams not shown. */
    private final ScheduledExecutorService timer;
    private final Thread thread;
    private final Lifecycle lifecycle;
    /** Larger than any UDP payload: a datagram that fit can never be cut. */
    private final ByteBuffer received = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(Protocol.UDP_REPLY.length)
            .put(Protocol.UDP_REPLY).flip();
    private static final ByteBuffer REPLY = ByteBuffer.wrap(Protocol.UDP_REPLY).asReadOnlyBuffer();
    private final Map<SocketAddress, Boolean> warned = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SocketAddress, Boolean> eldest) {
            return size() > WARNED_SENDERS;
        }
    };
    private final ShownPerSender shown;

    private UdpServer(DatagramChannel channel, Console console, Settings settings) {
        this.channel = channel;
        this.console = console;
        this.narration = new Narration(console);
        this.lifecycle = new Lifecycle(1, Duration.ofSeconds(1), console);
        this.settings = settings;
        this.fate = new Random(settings.seed());
        this.shown = new ShownPerSender(settings.shownPerSecond());
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread timerThread = new Thread(task, "udp-timer");
            timerThread.setDaemon(true);
            return timerThread;
        });
        timer.scheduleAtFixedRate(() -> shown.reportEndedSeconds(console), 1, 1, TimeUnit.SECONDS);
        this.thread = lifecycle.servingThread("udp-server", this::serveNext);
    }

    /** The slides' {@code sock.bind((UDP_IP, UDP_PORT))}; serving starts at once. */
    public static UdpServer start(InetSocketAddress address, Console console) throws IOException {
        return start(Settings.of(address), console);
    }

    public static UdpServer start(Settings settings, Console console) throws IOException {
        InetSocketAddress address = settings.address();
        StandardProtocolFamily family = Addresses.family(address);
        DatagramChannel channel = DatagramChannel.open(family);
        Narration narration = new Narration(console);
        narration.socket(family, false, "DatagramChannel.open(" + family + ")");
        String java = "DatagramChannel.bind(" + Addresses.format(address) + ")";
        try {
            try {
                channel.bind(address);
            } catch (IOException e) {
                narration.bind(false, address, java, null, e);
                throw e;
            }
            narration.bind(false, address, java, (InetSocketAddress) channel.getLocalAddress(), null);
            UdpServer server = new UdpServer(channel, console, settings);
            server.thread.start();
            return server;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server's socket is closed", e);
        }
    }

    @Override
    public void close() {
        lifecycle.stop(() -> {
            try {
                channel.close();   // wakes the blocked receive() with an AsynchronousCloseException
            } catch (IOException ignored) {
                // closing anyway
            }
            timer.shutdownNow();
        });
    }

    @Override
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * One turn of the slides' loop, on the serving thread, with blocking calls as there: wait in
     * {@code recvfrom}, answer. Two system calls a datagram, no selector: with one socket and one thread
     * there is nothing else to wait for.
     */
    private void serveNext() {
        SocketAddress sender;
        try {
            received.clear();
            sender = channel.receive(received);   // recvfrom()
        } catch (ClosedChannelException e) {
            return;   // close(): the server is stopping, and the serving thread ends
        } catch (IOException e) {
            // e.g. an ICMP error about an earlier reply: about that sender, not about us
            console.event("error", null, "recvfrom() failed: " + Errno.describe(e) + "; still serving");
            console.flush();
            return;
        }
        received.flip();
        handle(sender);
        console.flush();
    }

    private void handle(SocketAddress sender) {
        int length = received.remaining();
        if (shown.show(sender)) {
            byte[] start = new byte[Math.min(length, MAX_SHOWN_BYTES)];
            received.get(0, start);
            if (narration.on()) {
                narration.recvfrom(sender, length, start);
            }
            String message = Protocol.escape(start);
            console.event("datagram", sender, "received " + Protocol.bytesCount(length) + ": " + message
                    + (length > start.length ? " ... (first " + start.length + " bytes shown)" : ""),
                    "bytes", length, "message", message);
        }
        String refusal = refusal(sender, received);
        if (refusal != null) {
            if (warned.put(sender, Boolean.TRUE) == null) {
                console.event("no-reply", sender, "not answering this sender: " + refusal);
            }
            return;
        }
        if (settings.unreliable()) {
            sendUnreliably(sender);
        } else {
            sendReply(sender);
        }
    }

    /** The slides' {@code sock.sendto(b'data received', addr)}. */
    private void sendReply(SocketAddress to) {
        try {
            ByteBuffer data = Thread.currentThread() == thread ? reply.rewind() : reply.duplicate().rewind();
            int sent = channel.send(data, to);
            if (narration.on()) {   // the result text would be built for every datagram otherwise
                narration.sendto(to, sent);
            }
            if (sent == 0) {
                console.event("error", to, "reply not sent: the send buffer is full; still serving");
            }
        } catch (IOException e) {
            console.event("error", to, "sendto() failed: " + Errno.describe(e) + "; still serving");
        }
    }

    /** {@code --drop} and {@code --delay}: what a congested network does to datagrams, on purpose. */
    private void sendUnreliably(SocketAddress to) {
        if (fate.nextDouble() < settings.drop()) {
            console.event("drop", to, "reply dropped on purpose (--drop " + settings.drop() + ")");
            return;
        }
        long min = settings.delayMin().toNanos();
        long spread = settings.delayMax().toNanos() - min;
        long delay = min + (spread > 0 ? (long) (fate.nextDouble() * spread) : 0);
        if (delay <= 0) {
            sendReply(to);
            return;
        }
        console.event("delay", to, "reply delayed " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms on purpose (--delay)");
        timer.schedule(() -> {
            sendReply(to);
            console.flush();
        }, delay, TimeUnit.NANOSECONDS);
    }

    /**
     * At most {@code perSecond} datagrams of one sender are shown each second; the others are answered as
     * usual and counted, and once that second is over one line says how many were not shown. A script
     * flooding the server then costs the console a line a second, not thousands, and the TA's screen
     * stays readable. Only the server's thread uses it.
     */
    private static final class ShownPerSender {
        private static final class Sender {
            long second;         // the second `shown` counts in
            int shown;
            long hidden;         // not shown since `hiddenSince`, not yet reported
            long hiddenSince;
        }

        private final int perSecond;
        private final Map<SocketAddress, Sender> senders = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<SocketAddress, Sender> eldest) {
                return size() > WARNED_SENDERS;
            }
        };
        private int withHidden;   // senders with datagrams not shown and not yet reported
        private long lastReport;
        /** The last sender and its entry: a flood comes from one, and the JDK hands back the same address object. */
        private SocketAddress lastSender;
        private Sender lastSeen;

        ShownPerSender(int perSecond) {
            this.perSecond = perSecond;
        }

        /** Whether to show this datagram of {@code sender}. */
        synchronized boolean show(SocketAddress sender) {
            if (perSecond <= 0) {
                return true;
            }
            long now = currentSecond();
            if (sender != lastSender) {   // the same sender again is already the newest entry of the map
                lastSeen = senders.computeIfAbsent(sender, address -> new Sender());
                lastSender = sender;
            }
            Sender seen = lastSeen;
            if (seen.second != now) {
                seen.second = now;
                seen.shown = 0;
            }
            if (seen.shown < perSecond) {
                seen.shown++;
                return true;
            }
            if (seen.hidden++ == 0) {
                seen.hiddenSince = now;
                withHidden++;
            }
            return false;
        }

        /** Once a second at most: one line for each sender with datagrams not shown in a second now over. */
        synchronized void reportEndedSeconds(Console console) {
            long now = currentSecond();
            if (withHidden == 0 || now == lastReport) {
                return;
            }
            lastReport = now;
            for (Map.Entry<SocketAddress, Sender> entry : senders.entrySet()) {
                Sender seen = entry.getValue();
                if (seen.hidden > 0 && seen.hiddenSince != now) {
                    console.event("not-shown", entry.getKey(), "... and " + seen.hidden
                            + " more datagrams, all answered but not shown (at most " + perSecond
                            + " a second per sender are shown)", "count", seen.hidden);
                    seen.hidden = 0;
                    withHidden--;
                }
            }
            console.flush();
        }

        private static long currentSecond() {
            return System.nanoTime() / 1_000_000_000L;
        }
    }

    /** Why a datagram must not be answered (loop protection), or {@code null} to answer it. */
    static String refusal(SocketAddress sender, ByteBuffer datagram) {
        if (sender instanceof InetSocketAddress inet && inet.getPort() < FIRST_UNPRIVILEGED_PORT) {
            return "its port " + inet.getPort() + " is a privileged service port (echo, DNS...);"
                    + " answering could start a reply loop (CVE-2024-2169)";
        }
        if (datagram.equals(REPLY)) {   // compares the bytes from position to limit
            return "it sent \"data received\", a reply from another server; answering would start a reply loop"
                    + " (CVE-2024-2169)";
        }
        return null;
    }
}
