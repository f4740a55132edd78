package lab.sockets.udp;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Failure;
import lab.sockets.Narration;
import lab.sockets.Protocol;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The slides' UDP client:
 * <pre>
 *   sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
 *   sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT))
 *   data, addr = sock.recvfrom(1024)
 * </pre>
 * UDP may lose the datagram or the reply, and nothing tells the sender: the slides' {@code recvfrom}
 * would then wait forever. This client waits {@code timeout} for a reply and sends again, up to
 * {@code retries} more times, then says it gave up. {@link #ping} is the classic "UDP pinger" lab:
 * numbered datagrams, a line per reply with its round-trip time, and a loss summary.
 */
public final class UdpClient {
    private final InetSocketAddress server;
    private final Duration timeout;
    private final Console console;
    private final Narration narration;

    public UdpClient(InetSocketAddress server, Duration timeout, Console console) {
        this.server = server;
        this.timeout = timeout;
        this.console = console;
        this.narration = new Narration(console);
    }

    /** Sends {@code message}, and again up to {@code retries} times while no reply comes; returns the reply. */
    public byte[] send(byte[] message, int retries) {
        checkSize(message);
        try (DatagramSocket socket = open()) {
            for (int attempt = 1; attempt <= retries + 1; attempt++) {
                sendTo(socket, message, attempt > 1 ? " (try " + attempt + " of " + (retries + 1) + ")" : "");
                DatagramPacket reply = receive(socket);
                if (reply != null) {
                    byte[] data = Arrays.copyOf(reply.getData(), reply.getLength());
                    console.event("reply", reply.getSocketAddress(), "reply from "
                            + Addresses.format(reply.getSocketAddress()) + ": " + Protocol.escape(data),
                            "reply", Protocol.escape(data));
                    return data;
                }
                console.event("timeout", server, "no reply within " + timeout.toMillis() + " ms");
            }
        }
        throw new Failure("no reply from " + Addresses.format(server) + " after " + (retries + 1) + (retries == 0 ? " try, " : " tries, ")
                + timeout.toMillis() + " ms each: is udp-server running there, on this port?"
                + " (UDP does not tell the sender when nobody listens)");
    }

    /** What {@link #ping} saw. */
    public record PingSummary(int sent, int received, double minMillis, double avgMillis, double maxMillis) {
        public double lossPercent() {
            return sent == 0 ? 0 : 100.0 * (sent - received) / sent;
        }
    }

    /**
     * Sends {@code count} numbered datagrams ({@code message seq}), {@code interval} apart, all from one
     * socket, as the slides' client uses one: one source port, so the server sees one client. A reply
     * carries no number, so one that comes after its timeout could be taken for the next datagram's:
     * while waiting out the interval, the client keeps receiving, and a reply then is reported as late
     * and not counted.
     */
    public PingSummary ping(String message, int count, Duration interval) {
        int received = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        double total = 0;
        try (DatagramSocket socket = open()) {
            for (int seq = 1; seq <= count; seq++) {
                long start = System.nanoTime();
                byte[] datagram = (message + " " + seq).getBytes(UTF_8);
                checkSize(datagram);
                sendTo(socket, datagram, "");
                DatagramPacket reply = receive(socket);
                double millis = (System.nanoTime() - start) / 1e6;
                if (reply == null) {
                    console.event("timeout", server, "seq=" + seq + " timed out (no reply within "
                            + timeout.toMillis() + " ms)", "seq", seq);
                } else {
                    received++;
                    min = Math.min(min, millis);
                    max = Math.max(max, millis);
                    total += millis;
                    String text = Protocol.escape(Arrays.copyOf(reply.getData(), reply.getLength()));
                    console.event("reply", reply.getSocketAddress(), String.format(Locale.ROOT,
                            "reply from %s: %s  seq=%d time=%.1f ms", Addresses.format(reply.getSocketAddress()),
                            text, seq, millis), "seq", seq,
                            "rtt_ms", Math.round(millis * 1000) / 1000.0, "reply", text);
                }
                if (seq < count) {
                    awaitLateReplies(socket, start + interval.toNanos());
                }
            }
        }
        PingSummary summary = new PingSummary(count, received, received == 0 ? 0 : min,
                received == 0 ? 0 : total / received, max);
        console.event("summary", server, String.format(Locale.ROOT,
                "%d sent, %d received, %.0f%% loss, round trip min/avg/max = %.1f/%.1f/%.1f ms",
                summary.sent(), summary.received(), summary.lossPercent(),
                summary.minMillis(), summary.avgMillis(), summary.maxMillis()),
                "sent", summary.sent(), "received", summary.received(),
                "loss_percent", Math.round(summary.lossPercent() * 10) / 10.0);
        return summary;
    }

    /** Until {@code until} ({@link System#nanoTime}): the pause between pings, spent catching late replies. */
    private void awaitLateReplies(DatagramSocket socket, long until) {
        DatagramPacket late = new DatagramPacket(new byte[64 * 1024], 64 * 1024);
        try {
            for (long left; (left = until - System.nanoTime()) > 0; ) {
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                try {
                    socket.receive(late);
                } catch (SocketTimeoutException e) {
                    break;
                }
                console.event("late", late.getSocketAddress(), "late reply from " + Addresses.format(late.getSocketAddress())
                        + ": " + Protocol.escape(Arrays.copyOf(late.getData(), late.getLength()))
                        + " (to an earlier datagram; not counted)");
            }
            socket.setSoTimeout(millis(timeout));
        } catch (IOException e) {
            throw new Failure("no reply from " + Addresses.format(server) + ": " + Errno.describe(e));
        }
    }

    private DatagramSocket open() {
        try {
            DatagramSocket socket = new DatagramSocket();
            socket.setSoTimeout(millis(timeout));
            narration.clientSocket(server, false);
            return socket;
        } catch (IOException e) {
            throw new Failure("cannot open a UDP socket: " + Errno.describe(e));
        }
    }

    /** The slides' {@code sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT))}. */
    private void sendTo(DatagramSocket socket, byte[] message, String note) {
        // Said just before the send, not after: the answer may come (and be told) before send() returns.
        narration.sendMessage(server, message.length, socket.getLocalPort());
        console.event("send", server, "sent " + Protocol.bytesCount(message.length) + ": "
                + Protocol.escape(message) + note, "bytes", message.length);
        try {
            socket.send(new DatagramPacket(message, message.length, server));
        } catch (IOException e) {
            throw new Failure("cannot send to " + Addresses.format(server) + ": " + Errno.describe(e));
        }
    }

    /** The slides' {@code data, addr = sock.recvfrom(1024)}, bounded by the timeout; {@code null} if none came. */
    private DatagramPacket receive(DatagramSocket socket) {
        DatagramPacket reply = new DatagramPacket(new byte[64 * 1024], 64 * 1024);
        try {
            socket.receive(reply);
        } catch (SocketTimeoutException e) {
            narration.receiveReply(server, null, null, timeout.toMillis());
            return null;
        } catch (IOException e) {
            throw new Failure("no reply from " + Addresses.format(server) + ": " + Errno.describe(e));
        }
        narration.receiveReply(server, Arrays.copyOf(reply.getData(), reply.getLength()), reply.getSocketAddress(),
                timeout.toMillis());
        return reply;
    }

    private static void checkSize(byte[] message) {
        if (message.length > Protocol.MAX_DATAGRAM_BYTES) {
            throw new Failure("the message is " + Protocol.bytesCount(message.length)
                    + "; a UDP datagram holds at most " + Protocol.MAX_DATAGRAM_BYTES);
        }
    }

    /** A socket timeout: at least 1 ms, since 0 would mean "forever". */
    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }
}
