package lab.sockets.udp;

import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Failure;
import lab.sockets.Protocol;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The slides' UDP client:
 * <pre>
 *   sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
 *   sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT))
 *   data, addr = sock.recvfrom(1024)
 * </pre>
 * UDP may lose the datagram or the reply, and nothing tells the sender: the slides' {@code recvfrom}
 * would then wait forever. This client waits {@code timeout} for a reply and sends again, up to
 * {@code retries} more times, then says it gave up.
 */
public final class UdpClient {
    private final InetSocketAddress server;
    private final Duration timeout;
    private final int retries;
    private final Console console;

    public UdpClient(InetSocketAddress server, Duration timeout, int retries, Console console) {
        this.server = server;
        this.timeout = timeout;
        this.retries = retries;
        this.console = console;
    }

    /** Sends {@code message} and returns the first reply; a {@link Failure} if none comes. */
    public byte[] send(byte[] message) {
        if (message.length > Protocol.MAX_DATAGRAM_BYTES) {
            throw new Failure("the message is " + message.length + " bytes; a UDP datagram holds at most "
                    + Protocol.MAX_DATAGRAM_BYTES);
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            DatagramPacket reply = new DatagramPacket(new byte[64 * 1024], 64 * 1024);
            for (int attempt = 1; attempt <= retries + 1; attempt++) {
                socket.send(new DatagramPacket(message, message.length, server));   // sendto()
                console.event("send", server, "sent " + message.length + " bytes: " + Protocol.escape(message)
                        + (attempt > 1 ? " (try " + attempt + " of " + (retries + 1) + ")" : ""));
                try {
                    socket.receive(reply);                                             // recvfrom()
                } catch (SocketTimeoutException e) {
                    console.event("timeout", server, "no reply within " + timeout.toMillis() + " ms");
                    continue;
                }
                byte[] data = Arrays.copyOf(reply.getData(), reply.getLength());
                console.event("reply", reply.getSocketAddress(), "reply from " + Console.address(reply.getSocketAddress())
                        + ": " + Protocol.escape(data), "reply", Protocol.escape(data));
                return data;
            }
        } catch (IOException e) {
            throw new Failure("cannot send to " + Console.address(server) + ": " + Errno.describe(e));
        }
        throw new Failure("no reply from " + Console.address(server) + " after " + (retries + 1) + " tries, "
                + timeout.toMillis() + " ms each: is udp-server running there, on this port?"
                + " (UDP does not tell the sender when nobody listens)");
    }
}
