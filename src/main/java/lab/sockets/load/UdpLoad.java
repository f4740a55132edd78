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
    /** What each datagram says: the slides' default message. */
    static final byte[] MESSAGE = Protocol.bytes("Hello, World!");

    private final UdpLoadSettings settings;
    private final Console progress;
    private final UdpLoadStats stats = new UdpLoadStats();
    /** When each outstanding datagram was sent, oldest first: a ring of {@code inFlight} slots. */
    private final long[] sentAt;
    private int oldest;
    private int outstanding;
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE.length).put(MESSAGE).flip();
    /** Room for the largest datagram and one byte more, so a reply too long is seen as such. */
    private final ByteBuffer reply = ByteBuffer.allocateDirect(Protocol.MAX_DATAGRAM_BYTES + 1);

    private UdpLoad(UdpLoadSettings settings, Console progress) {
        this.settings = settings;
        this.progress = progress;
        this.sentAt = new long[settings.inFlight()];
    }

    /** Runs for {@code settings.duration()} and returns what it measured; {@code progress} gets a line each second. */
    public static UdpLoadResult run(UdpLoadSettings settings, Console progress) throws IOException {
        return new UdpLoad(settings, progress).run();
    }

    private UdpLoadResult run() throws IOException {
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
                            TimeUnit.NANOSECONDS.toSeconds(nextLine - start), stats.answered, stats.answered - shown, stats.lost),
                            "answered", String.valueOf(stats.answered));
                    progress.flush();
                    shown = stats.answered;
                    nextLine += second;
                }
            }
            long elapsed = System.nanoTime() - start;
            stats.inFlightAtEnd = outstanding;
            return new UdpLoadResult(settings, elapsed, stats);
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
                stats.refused += Errno.of(e) == Errno.ECONNREFUSED ? 1 : 0;
                return;
            }
            stats.sent++;
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
                stats.refused++;        // ICMP "port unreachable": nothing listens there (any more)
                takeOldest();
                continue;
            }
            if (n <= 0) {
                return;
            }
            if (outstanding == 0) {
                stats.lateReplies++;
                continue;
            }
            long sentTime = takeOldest();
            if (isDataReceived(n)) {
                stats.answered++;
                stats.roundTrips.record(now - sentTime);
            } else {
                stats.wrongReplies++;
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
            stats.lost++;
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
}
