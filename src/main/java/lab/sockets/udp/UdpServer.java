package lab.sockets.udp;

import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Protocol;
import lab.sockets.Server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
 * One thread is enough: a datagram takes a microsecond of work, with no conversation to wait on.
 */
public final class UdpServer implements Server {
    /**
     * What the command line can change. {@code drop} (0 to 1) and {@code delayMin}..{@code delayMax}
     * make UDP's unreliability visible on loopback, where nothing is ever lost: each reply is dropped
     * with that probability, or sent after a random delay in that range; a given {@code seed} makes the
     * same datagrams meet the same fate, run after run.
     */
    public record Settings(InetSocketAddress address, double drop, Duration delayMin, Duration delayMax, long seed) {
        public static Settings of(InetSocketAddress address) {
            return new Settings(address, 0, Duration.ZERO, Duration.ZERO, 0);
        }

        public Settings withLoss(double dropProbability, Duration minDelay, Duration maxDelay, long randomSeed) {
            return new Settings(address, dropProbability, minDelay, maxDelay, randomSeed);
        }

        boolean unreliable() {
            return drop > 0 || !delayMax.isZero();
        }
    }

    /** A reply held back by {@code --delay}, due at {@code due} (System.nanoTime). */
    private record Delayed(long due, SocketAddress to) {}

    /** The longest part of a datagram shown on the console; the length is always shown. */
    static final int MAX_SHOWN_BYTES = Protocol.MAX_ID_BYTES;
    /** Ports below this are privileged services; never answer them (loop protection). */
    static final int FIRST_UNPRIVILEGED_PORT = 1024;
    /** How many senders we remember having warned about, so each is logged once, not per datagram. */
    private static final int WARNED_SENDERS = 4096;

    private final DatagramChannel channel;
    private final Console console;
    private final Settings settings;
    private final Random fate;
    private final PriorityQueue<Delayed> delayed = new PriorityQueue<>(Comparator.comparingLong(Delayed::due));
    private final Selector selector;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Larger than any UDP payload: a datagram that fit can never be cut. */
    private final ByteBuffer received = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(Protocol.UDP_REPLY.length)
            .put(Protocol.UDP_REPLY).flip();
    private final Map<SocketAddress, Boolean> warned = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SocketAddress, Boolean> eldest) {
            return size() > WARNED_SENDERS;
        }
    };
    private volatile boolean stopping;

    private UdpServer(DatagramChannel channel, Console console, Settings settings) throws IOException {
        this.channel = channel;
        this.console = console;
        this.settings = settings;
        this.fate = new Random(settings.seed());
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        this.thread = new Thread(this::serve, "udp-server");
        thread.setDaemon(true);
    }

    /** The slides' {@code sock.bind((UDP_IP, UDP_PORT))}; serving starts at once. */
    public static UdpServer start(InetSocketAddress address, Console console) throws IOException {
        return start(Settings.of(address), console);
    }

    public static UdpServer start(Settings settings, Console console) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        console.explain(null, "sock = socket.socket(AF_INET, SOCK_DGRAM)", "DatagramChannel.open()", "a UDP socket");
        InetSocketAddress address = settings.address();
        String host = address.getAddress().isAnyLocalAddress() ? "" : Console.host(address.getAddress());
        String python = "sock.bind((\"" + host + "\", " + address.getPort() + "))";
        String java = "DatagramChannel.bind(" + Console.address(address) + ")";
        try {
            try {
                channel.bind(address);
            } catch (IOException e) {
                console.explain(null, python, java, "failed: " + Errno.describe(e));
                throw e;
            }
            InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
            console.explain(null, python, java, "bound to port " + bound.getPort()
                    + (address.getAddress().isAnyLocalAddress() ? " on all interfaces (INADDR_ANY)" : "")
                    + "; no listen() or accept() in UDP: datagrams from anyone arrive on this one socket");
            channel.configureBlocking(false);
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
        stopping = true;
        selector.wakeup();
        awaitStopped(Duration.ofSeconds(2));
        console.flush();
    }

    @Override
    public boolean awaitStopped(Duration timeout) {
        return Server.await(stopped, timeout);
    }

    private void serve() {
        try (selector; channel) {
            while (!stopping) {
                long wait = delayed.isEmpty() ? 0
                        : Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayed.peek().due() - System.nanoTime()));
                selector.select(key -> receiveAll(), wait);
                sendDueReplies();
                console.flush();
            }
        } catch (IOException | ClosedSelectorException e) {
            console.problem("error", null, "udp-server failed: " + Errno.describe(e instanceof IOException io ? io
                    : new IOException(e)));
        } finally {
            console.flush();
            stopped.countDown();
        }
    }

    /** Every datagram waiting now; then the loop flushes the console once for all of them. */
    private void receiveAll() {
        while (!stopping) {
            SocketAddress sender;
            try {
                received.clear();
                sender = channel.receive(received);   // recvfrom()
            } catch (IOException e) {
                if (!channel.isOpen()) {
                    return;
                }
                // e.g. an ICMP error about an earlier reply: about that sender, not about us
                console.event("error", null, "recvfrom() failed: " + Errno.describe(e) + "; still serving");
                continue;
            }
            if (sender == null) {
                return;   // nothing more waiting
            }
            received.flip();
            handle(sender);
        }
    }

    private void handle(SocketAddress sender) {
        int length = received.remaining();
        byte[] shown = new byte[Math.min(length, MAX_SHOWN_BYTES)];
        received.get(shown);
        if (console.explaining()) {
            console.explain(sender, "data, addr = sock.recvfrom(1024)", "DatagramChannel.receive()",
                    Protocol.bytesCount(length) + ": " + Protocol.pythonBytes(shown, 0, shown.length, 60)
                            + " from " + Console.address(sender)
                            + (length > 1024 ? " (the slides' recvfrom(1024) would have lost " + (length - 1024)
                            + " bytes of it)" : ""));
        }
        console.event("datagram", sender, "received " + Protocol.bytesCount(length) + ": " + Protocol.escape(shown)
                + (length > shown.length ? " ... (first " + shown.length + " bytes shown)" : ""),
                "bytes", length, "message", Protocol.escape(shown));
        String refusal = refusal(sender, shown, length);
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
            reply.rewind();
            int sent = channel.send(reply, to);
            console.explain(to, "sock.sendto(b'data received', addr)", "DatagramChannel.send()",
                    sent == 0 ? "not sent: the send buffer is full" : Protocol.bytesCount(sent) + " sent");
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
        delayed.add(new Delayed(System.nanoTime() + delay, to));
    }

    private void sendDueReplies() {
        long now = System.nanoTime();
        while (!delayed.isEmpty() && now - delayed.peek().due() >= 0) {
            sendReply(delayed.poll().to());
        }
    }

    /** Why a datagram must not be answered (loop protection), or {@code null} to answer it. */
    static String refusal(SocketAddress sender, byte[] start, int length) {
        if (sender instanceof InetSocketAddress inet && inet.getPort() < FIRST_UNPRIVILEGED_PORT) {
            return "its port " + inet.getPort() + " is a privileged service port (echo, DNS...);"
                    + " answering could start a reply loop (CVE-2024-2169)";
        }
        if (length == Protocol.UDP_REPLY.length && Arrays.equals(start, Protocol.UDP_REPLY)) {
            return "it sent \"data received\", a reply from another server; answering would start a reply loop"
                    + " (CVE-2024-2169)";
        }
        return null;
    }
}
