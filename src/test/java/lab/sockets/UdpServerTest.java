package lab.sockets;

import lab.sockets.udp.UdpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UDP server in-process on loopback: every datagram answered, whatever it holds, and no reply loops. */
@Tag("fast")
@Timeout(60)
class UdpServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final CapturedConsole console = new CapturedConsole();
    private UdpServer server;

    @BeforeEach
    void start() throws IOException {
        server = UdpServer.start(new InetSocketAddress(LOOPBACK, 0), console.console);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyDatagramGetsExactlyDataReceived() throws IOException {
        assertEquals("data received", exchange("Hello, World!".getBytes(UTF_8)));
        assertEquals("data received", exchange(new byte[0]), "an empty datagram is a datagram too");
        assertEquals("data received", exchange(new byte[] {(byte) 0xff, (byte) 0xfe, 0x1b, '[', 'J', 0}));
        assertTrue(console.out().contains("received 0 bytes: "), console.out());
        assertTrue(console.out().contains("received 6 bytes: \\xff\\xfe\\x1b[J\\x00"), console.out());
    }

    @Test
    void largestDatagramIsReceivedWholeAndShownShort() throws Exception {
        byte[] big = new byte[Protocol.MAX_DATAGRAM_BYTES];
        Arrays.fill(big, (byte) 0x07);   // BEL: would ring the TA's terminal 65,507 times if printed raw
        int before = console.out().length();
        assertEquals("data received", exchange(big));
        String line = console.awaitOut("received 65507 bytes", Duration.ofSeconds(5)).substring(before);
        assertTrue(line.length() < 5_000, "console grew by " + line.length() + " characters");
        assertFalse(line.contains("\u0007"), "no raw BEL");
    }

    @Test
    void fiveHundredSourcePortsAreEachAnswered() throws IOException {
        List<DatagramSocket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                client.setSoTimeout(5000);
                clients.add(client);
                byte[] message = ("port " + i).getBytes(UTF_8);
                client.send(new DatagramPacket(message, message.length, server.address().getAddress(), server.address().getPort()));
            }
            for (DatagramSocket client : clients) {
                assertEquals("data received", receive(client));
            }
        } finally {
            clients.forEach(DatagramSocket::close);
        }
    }

    @Test
    void burstOfTenThousandDatagramsLeavesTheServerServing() throws IOException {
        try (DatagramSocket flood = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] message = "flood".getBytes(UTF_8);
            DatagramPacket packet = new DatagramPacket(message, message.length, server.address());
            for (int i = 0; i < 10_000; i++) {
                flood.send(packet);   // some may be dropped by the kernel's buffers: that is UDP
            }
        }
        // the kernel drops what does not fit the server's receive buffer, perhaps our question too: ask again
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(500);
            byte[] question = "still there?".getBytes(UTF_8);
            for (int attempt = 1; ; attempt++) {
                client.send(new DatagramPacket(question, question.length, server.address()));
                try {
                    assertEquals("data received", receive(client));
                    return;
                } catch (SocketTimeoutException e) {
                    assertTrue(attempt < 20, "no reply after the flood, " + attempt + " tries");
                }
            }
        }
    }

    @Test
    void aFloodFromOneSenderIsAllAnsweredButSummarizedOnTheConsole() throws Exception {
        int sent = 500;
        try (DatagramSocket flood = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            flood.setSoTimeout(5000);
            byte[] message = "flood".getBytes(UTF_8);
            for (int i = 0; i < sent; i++) {   // one at a time, so that none is lost to a full buffer
                flood.send(new DatagramPacket(message, message.length, server.address()));
                assertEquals("data received", receive(flood), "reply " + i);
            }
        }
        // within a second or two of the flood, every datagram is accounted for: shown, or counted in a summary
        String out = console.awaitOut(text -> shown(text) + notShown(text) == sent,
                sent + " datagrams shown or counted", Duration.ofSeconds(10));
        assertTrue(notShown(out) > 0, out);
        assertTrue(shown(out) <= 3 * UdpServer.DEFAULT_SHOWN_PER_SECOND, shown(out) + " lines for one sender:\n" + out);
    }

    private static int shown(String out) {
        return count(out, "received 5 bytes: flood");
    }

    private static int notShown(String out) {
        Matcher summary = Pattern.compile("\\.\\.\\. and (\\d+) more datagrams").matcher(out);
        int n = 0;
        while (summary.find()) {
            n += Integer.parseInt(summary.group(1));
        }
        return n;
    }

    @Test
    void aDataReceivedReplyIsNeverAnsweredSoTwoServersCannotLoop() throws IOException {
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            other.setSoTimeout(300);
            for (int i = 0; i < 3; i++) {
                other.send(new DatagramPacket(Protocol.UDP_REPLY, Protocol.UDP_REPLY.length, server.address()));
            }
            assertThrows(SocketTimeoutException.class, () -> receive(other), "a reply to a reply starts a loop");
        }
        assertEquals("data received", exchange("a student".getBytes(UTF_8)));
        String out = console.out();
        assertEquals(1, count(out, "not answering this sender"), "logged once per sender:\n" + out);
        assertTrue(out.contains("CVE-2024-2169"), out);
    }

    @Test
    void datagramsFromPrivilegedPortsAreNotAnswered() throws IOException {
        DatagramSocket privileged;
        try {
            privileged = new DatagramSocket(new InetSocketAddress(LOOPBACK, 1019));
        } catch (BindException e) {
            Assumptions.abort("binding port 1019 needs root or CAP_NET_BIND_SERVICE, or it is in use: " + e.getMessage());
            return;
        }
        try (privileged) {
            privileged.setSoTimeout(300);
            byte[] message = "chargen says hi".getBytes(UTF_8);
            privileged.send(new DatagramPacket(message, message.length, server.address()));
            assertThrows(SocketTimeoutException.class, () -> receive(privileged));
        }
        assertTrue(console.out().contains("its port 1019 is a privileged service port"), console.out());
    }

    @Test
    void twoServersAimedAtEachOtherByAForgedDatagramDoNotLoop() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "forging a source address needs a raw socket, which needs root");
        CapturedConsole otherConsole = new CapturedConsole();
        try (UdpServer other = UdpServer.start(new InetSocketAddress(LOOPBACK, 0), otherConsole.console)) {
            // the attacker's one datagram: from `other`'s address, to `server`
            String forge = "import socket,struct,sys\n"
                    + "src,dst=int(sys.argv[1]),int(sys.argv[2])\n"
                    + "data=b'ping'\n"
                    + "udp=struct.pack('!HHHH',src,dst,8+len(data),0)+data\n"
                    + "ip=struct.pack('!BBHHHBBH4s4s',0x45,0,20+len(udp),0,0,64,17,0,"
                    + "socket.inet_aton('127.0.0.1'),socket.inet_aton('127.0.0.1'))\n"
                    + "s=socket.socket(socket.AF_INET,socket.SOCK_RAW,socket.IPPROTO_RAW)\n"
                    + "s.sendto(ip+udp,('127.0.0.1',0))\n";
            Process python = new ProcessBuilder("python3", "-c", forge, String.valueOf(other.address().getPort()),
                    String.valueOf(server.address().getPort())).redirectErrorStream(true).start();
            String errors = new String(python.getInputStream().readAllBytes(), UTF_8);
            Assumptions.assumeTrue(python.waitFor() == 0, "cannot send a raw datagram here: " + errors);

            // `server` answers the forged ping, to `other`; `other` must not answer that reply
            otherConsole.awaitOut("not answering this sender", Duration.ofSeconds(5));
            assertEquals(1, count(console.awaitOut("received 4 bytes: ping", Duration.ofSeconds(5)), "received "),
                    "the server was hit once, not in a loop:\n" + console.out());
            // one more exchange proves both are still serving, and that no loop ran meanwhile
            assertEquals("data received", exchange("after".getBytes(UTF_8)));
            assertEquals(2, count(console.out(), "received "), console.out());
        }
    }

    private String exchange(byte[] message) throws IOException {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(5000);
            client.send(new DatagramPacket(message, message.length, server.address()));
            return receive(client);
        }
    }

    private static String receive(DatagramSocket socket) throws IOException {
        DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
        socket.receive(reply);
        return new String(reply.getData(), 0, reply.getLength(), UTF_8);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
