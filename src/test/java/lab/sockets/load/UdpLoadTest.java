package lab.sockets.load;

import lab.sockets.Protocol;
import lab.sockets.udp.UdpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static lab.sockets.load.TinyServers.quietConsole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** udp-load against our server, against servers that answer wrongly or drop datagrams, and against nothing. */
@Timeout(60)
class UdpLoadTest {
    private static final Duration RUN = Duration.ofMillis(800);

    @Test
    void everyDatagramToOurServerIsAnsweredExactly() throws Exception {
        try (UdpServer server = UdpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), quietConsole())) {
            // A generous timeout: on a busy machine a slow reply must not be mistaken for a lost one.
            UdpLoadResult result = UdpLoad.run(UdpLoadSettings.of(server.address(), 16, RUN)
                    .withTimeout(Duration.ofSeconds(5)), quietConsole());

            assertTrue(result.answered() > 0, () -> result.lines().toString());
            assertEquals(0, result.lost(), () -> result.lines().toString());
            assertEquals(0, result.wrongReplies(), () -> result.lines().toString());
            assertEquals(0, result.refused(), () -> result.lines().toString());
        }
    }

    @Test
    void aReplyThatIsNotExactlyDataReceivedIsCountedAndExitsOne() throws Exception {
        byte[] almost = Protocol.bytes("data received\n");   // one byte too many
        try (TinyServers.Udp server = new TinyServers.Udp(n -> almost)) {
            UdpLoadResult result = UdpLoad.run(UdpLoadSettings.of(server.address(), 4, RUN), quietConsole());
            CommandRun run = CommandRun.of("udp-load", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.address().getPort()), "--duration", "300ms");

            assertEquals(0, result.answered(), () -> result.lines().toString());
            assertTrue(result.wrongReplies() > 0, () -> result.lines().toString());
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.out().contains("not exactly \"data received\""), run::toString);
        }
    }

    @Test
    void lostDatagramsAreGivenUpOnAndDoNotStallTheWindow() throws Exception {
        // The second window's worth of datagrams is never answered: without a timeout the run would stop there.
        int inFlight = 4;
        try (TinyServers.Udp server = new TinyServers.Udp(n -> n >= inFlight && n < 2 * inFlight ? null : Protocol.UDP_REPLY)) {
            UdpLoadResult result = UdpLoad.run(UdpLoadSettings.of(server.address(), inFlight, Duration.ofMillis(1500))
                    .withTimeout(Duration.ofMillis(100)), quietConsole());

            // every reply is the same 13 bytes, so which datagrams went unanswered is not known, only how many:
            // those counted lost, plus those still in flight when the run ended
            assertTrue(result.sent() - result.answered() >= inFlight, () -> result.lines().toString());
            assertTrue(result.lost() > 0, () -> result.lines().toString());
            assertTrue(result.answered() > inFlight, () -> result.lines().toString());
            assertEquals(0, result.wrongReplies(), () -> result.lines().toString());
        }
    }

    @Test
    void nothingListeningExitsOne() throws Exception {
        int port;
        try (DatagramSocket closedSoon = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = closedSoon.getLocalPort();
        }
        CommandRun run = CommandRun.of("udp-load", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--duration", "300ms", "--timeout", "100ms");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Error: no datagram was answered"), run::toString);
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertEquals(2, CommandRun.of("udp-load", "--in-flight", "0").exitCode());
        assertEquals(2, CommandRun.of("udp-load", "--duration", "0s").exitCode());
    }
}
