package lab.sockets.load;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@code inFlight} datagrams outstanding against a UDP server that answers {@code data received}, for a
 * fixed time: as soon as a reply comes, the next datagram goes. It checks that every reply is exactly
 * {@code data received} and measures datagrams per second, loss and round-trip times.
 *
 * <p>Every reply is the same 13 bytes, so a reply cannot say which datagram it answers. On one socket, the
 * replies of one server come back in the order the datagrams went, so each reply is taken as the answer to
 * the oldest datagram still outstanding. UDP loses datagrams: one with no reply after {@code timeout} is
 * counted as lost and its place in the window goes to a new one, so losses never stall the run. (A reply that
 * comes after its datagram was given up on is then counted as late.)
 *
 * <p>One thread and one socket: a UDP round trip is two system calls for us, so this outruns one server thread.
 */
public final class UdpLoad {
    public static final int DEFAULT_IN_FLIGHT = 64;
    public static final int MAX_IN_FLIGHT = 4096;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    /** As {@code udp-client}: a reply later than this is not coming. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** What each datagram says: the slides' default message. */
    static final byte[] MESSAGE = Protocol.bytes("Hello, World!");

    public record Settings(InetSocketAddress server, int inFlight, Duration duration, Duration timeout) {
        public Settings {
            if (inFlight < 1 || inFlight > MAX_IN_FLIGHT) {
                throw new IllegalArgumentException("in flight must be between 1 and " + MAX_IN_FLIGHT);
            }
        }

        public static Settings of(InetSocketAddress server, int inFlight, Duration duration) {
            return new Settings(server, inFlight, duration, DEFAULT_TIMEOUT);
        }

        public Settings withTimeout(Duration t) {
            return new Settings(server, inFlight, duration, t);
        }
    }

    private final Settings settings;
    private final Console progress;
    /** When each outstanding datagram was sent, oldest first: a ring of {@code inFlight} slots. */
    private final long[] sentAt;
    private int oldest;
    private int outstanding;
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE.length).put(MESSAGE).flip();
    /** Room for the largest datagram and one byte more, so a reply too long is seen as such. */
    private final ByteBuffer reply = ByteBuffer.allocateDirect(Protocol.MAX_DATAGRAM_BYTES + 1);
    private final Latencies roundTrips = new Latencies();
    private long sent;
    private long answered;
    private long lost;
    private long wrongReplies;
    private long lateReplies;
    private long refused;

    private UdpLoad(Settings settings, Console progress) {
        this.settings = settings;
        this.progress = progress;
        this.sentAt = new long[settings.inFlight()];
    }

    /** Runs for {@code settings.duration()} and returns what it measured; {@code progress} gets a line each second. */
    public static Result run(Settings settings, Console progress) throws IOException {
        return new UdpLoad(settings, progress).run();
    }

    private Result run() throws IOException {
        InetSocketAddress server = settings.server();
        try (DatagramChannel channel = DatagramChannel.open(Addresses.family(server));
             Selector selector = Selector.open()) {
            // connect(): the kernel keeps only the server's datagrams for us, and send/receive need no address
            channel.connect(server);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            long second = TimeUnit.SECONDS.toNanos(1);
            long start = System.nanoTime();
            long end = start + settings.duration().toNanos();
            long nextLine = start + second;
            long shown = 0;
            fillWindow(channel, start);
            for (long now = start; now - end < 0; now = System.nanoTime()) {
                long wake = Math.min(end, nextLine);
                if (outstanding > 0) {
                    wake = Math.min(wake, sentAt[oldest] + settings.timeout().toNanos());
                } else {
                    wake = Math.min(wake, now + TimeUnit.MILLISECONDS.toNanos(10));   // the send buffer was full
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - now)));
                selector.selectedKeys().clear();
                now = System.nanoTime();
                receiveAll(channel, now);
                giveUpOnLate(now);
                fillWindow(channel, now);
                if (now - nextLine >= 0) {
                    progress.event("progress", null, String.format(Locale.ROOT, "%3d s: %,d answered (%,d/s), %,d lost",
                            TimeUnit.NANOSECONDS.toSeconds(nextLine - start), answered, answered - shown, lost),
                            "answered", String.valueOf(answered));
                    progress.flush();
                    shown = answered;
                    nextLine += second;
                }
            }
            return new Result(this, System.nanoTime() - start);
        }
    }

    /** The slides' {@code sock.sendto(MESSAGE, (UDP_IP, UDP_PORT))}, until the window is full. */
    private void fillWindow(DatagramChannel channel, long now) {
        while (outstanding < sentAt.length) {
            message.rewind();
            try {
                if (channel.write(message) == 0) {
                    return;   // the socket's send buffer is full: try again at the next wake-up
                }
            } catch (IOException e) {
                // e.g. an earlier datagram got ICMP "port unreachable" back; this one was not sent
                refused += Errno.of(e) == Errno.ECONNREFUSED ? 1 : 0;
                return;
            }
            sent++;
            sentAt[(oldest + outstanding) % sentAt.length] = now;
            outstanding++;
        }
    }

    /** The slides' {@code data, addr = sock.recvfrom(1024)}, for every reply waiting now. */
    private void receiveAll(DatagramChannel channel, long now) throws IOException {
        while (true) {
            reply.clear();
            int n;
            try {
                n = channel.read(reply);
            } catch (PortUnreachableException e) {
                refused++;              // ICMP "port unreachable": nothing listens there (any more)
                takeOldest();
                continue;
            }
            if (n <= 0) {
                return;
            }
            if (outstanding == 0) {
                lateReplies++;
                continue;
            }
            long sentTime = takeOldest();
            if (isDataReceived(n)) {
                answered++;
                roundTrips.record(now - sentTime);
            } else {
                wrongReplies++;
            }
        }
    }

    private boolean isDataReceived(int length) {
        if (length != Protocol.UDP_REPLY.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (reply.get(i) != Protocol.UDP_REPLY[i]) {
                return false;
            }
        }
        return true;
    }

    /** Datagrams with no reply after the timeout are lost: their places go to new ones. */
    private void giveUpOnLate(long now) {
        while (outstanding > 0 && now - (sentAt[oldest] + settings.timeout().toNanos()) >= 0) {
            takeOldest();
            lost++;
        }
    }

    private long takeOldest() {
        if (outstanding == 0) {
            return 0;
        }
        long time = sentAt[oldest];
        oldest = (oldest + 1) % sentAt.length;
        outstanding--;
        return time;
    }

    /** What a run measured, and the summary lines that say it. */
    public static final class Result {
        private final Settings settings;
        private final long elapsedNanos;
        private final long sent;
        private final long answered;
        private final long lost;
        private final long wrongReplies;
        private final long lateReplies;
        private final long refused;
        private final long inFlightAtEnd;
        private final Latencies roundTrips;

        private Result(UdpLoad load, long elapsedNanos) {
            this.settings = load.settings;
            this.elapsedNanos = elapsedNanos;
            this.sent = load.sent;
            this.answered = load.answered;
            this.lost = load.lost;
            this.wrongReplies = load.wrongReplies;
            this.lateReplies = load.lateReplies;
            this.refused = load.refused;
            this.inFlightAtEnd = load.outstanding;
            this.roundTrips = load.roundTrips;
        }

        /** Datagrams answered with exactly {@code data received}. */
        public long answered() {
            return answered;
        }

        public long sent() {
            return sent;
        }

        public long lost() {
            return lost;
        }

        public long wrongReplies() {
            return wrongReplies;
        }

        public long refused() {
            return refused;
        }

        public double perSecond() {
            return elapsedNanos <= 0 ? 0 : answered * 1e9 / elapsedNanos;
        }

        /** Lost datagrams as a share of those whose fate is known (not still in flight at the end). */
        public double lossPercent() {
            long settled = sent - inFlightAtEnd;
            return settled <= 0 ? 0 : 100.0 * lost / settled;
        }

        public List<SummaryLine> lines() {
            List<SummaryLine> lines = new ArrayList<>();
            lines.add(new SummaryLine("datagrams", String.format(Locale.ROOT, "datagrams: %,d answered in %.1f s, %,.0f/s",
                    answered, elapsedNanos / 1e9, perSecond()),
                    "answered", String.valueOf(answered), "seconds", String.format(Locale.ROOT, "%.3f", elapsedNanos / 1e9),
                    "per_second", String.format(Locale.ROOT, "%.1f", perSecond())));
            lines.add(new SummaryLine("round-trip", "round trip: " + roundTrips.summary(),
                    "p50_ms", ms(roundTrips.percentileMicros(0.50)), "p99_ms", ms(roundTrips.percentileMicros(0.99)),
                    "max_ms", ms(roundTrips.maxMicros())));
            lines.add(new SummaryLine("loss", String.format(Locale.ROOT,
                    "loss: %,d of %,d sent (%.3f%%) had no reply within %s; %,d still in flight at the end",
                    lost, sent, lossPercent(), TcpLoad.describe(settings.timeout()), inFlightAtEnd),
                    "sent", String.valueOf(sent), "lost", String.valueOf(lost),
                    "loss_percent", String.format(Locale.ROOT, "%.3f", lossPercent())));
            long errors = wrongReplies + refused + lateReplies;
            lines.add(new SummaryLine("errors", errors == 0 ? "errors: none" : String.format(Locale.ROOT,
                    "errors: %,d (not exactly \"data received\" %,d, refused %,d, late replies %,d)",
                    errors, wrongReplies, refused, lateReplies),
                    "errors", String.valueOf(errors), "wrong_reply", String.valueOf(wrongReplies),
                    "refused", String.valueOf(refused), "late", String.valueOf(lateReplies)));
            return lines;
        }

        private static String ms(long micros) {
            return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
        }
    }
}
