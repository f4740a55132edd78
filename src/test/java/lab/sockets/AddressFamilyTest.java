package lab.sockets;

import lab.sockets.tcp.TcpServer;
import lab.sockets.udp.UdpClient;
import lab.sockets.udp.UdpServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * A server's socket family follows its bind address ({@link Server#family}): the default wildcard is
 * IPv4, the slides' {@code AF_INET} with {@code HOST = ""}; {@code --bind ::} serves IPv6 and IPv4 clients.
 * The servers bind the wildcard on port 0 and are only ever reached through loopback.
 */
@Tag("fast")
@Timeout(30)
class AddressFamilyTest {
    private static final InetAddress IPV4_LOOPBACK = address("127.0.0.1");
    private static final InetAddress IPV6_LOOPBACK = address("::1");
    private static final InetAddress IPV6_WILDCARD = address("::");

    @BeforeAll
    static void needsIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, IPV6_LOOPBACK)) {
            probe.getLocalPort();
        } catch (IOException e) {
            abort("this machine has no IPv6 loopback (::1): " + e.getMessage());
        }
    }

    @Test
    void theDefaultWildcardIsIpv4LikeTheSlides() throws IOException {
        InetSocketAddress wildcard = Addresses.bindAddress(null, 0);
        try (TcpServer server = TcpServer.start(TcpServer.Settings.of(wildcard), new CapturedConsole().console)) {
            int port = server.address().getPort();
            assertEquals("What's your student ID?\n", prompt(IPV4_LOOPBACK, port));
            assertThrows(ConnectException.class, () -> prompt(IPV6_LOOPBACK, port));
        }
    }

    @Test
    void anIpv6WildcardServesIpv6AndIpv4Clients() throws IOException {
        InetSocketAddress wildcard = new InetSocketAddress(IPV6_WILDCARD, 0);
        try (TcpServer server = TcpServer.start(TcpServer.Settings.of(wildcard), new CapturedConsole().console)) {
            int port = server.address().getPort();
            assertEquals("What's your student ID?\n", prompt(IPV6_LOOPBACK, port));
            assertEquals("What's your student ID?\n", prompt(IPV4_LOOPBACK, port));
        }
        try (UdpServer server = UdpServer.start(wildcard, new CapturedConsole().console)) {
            int port = server.address().getPort();
            for (InetAddress client : new InetAddress[] {IPV6_LOOPBACK, IPV4_LOOPBACK}) {
                byte[] reply = new UdpClient(new InetSocketAddress(client, port), Duration.ofSeconds(2),
                        new CapturedConsole().console).send("hi".getBytes(UTF_8), 2);
                assertArrayEquals(Protocol.UDP_REPLY, reply, "reply to " + client);
            }
        }
    }

    private static String prompt(InetAddress host, int port) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5000);
            return new String(socket.getInputStream().readNBytes(Protocol.PROMPT.length), UTF_8);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
