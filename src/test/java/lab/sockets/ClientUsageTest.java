package lab.sockets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;

import static java.util.concurrent.TimeUnit.SECONDS;
import static lab.sockets.RawPeer.bytes;
import static lab.sockets.RawPeer.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * The clients as a student types them, the real jar as a child process ([lab-day]): the slides' and
 * {@code nc}'s habit of {@code HOST PORT}, usage errors that show the right form, {@code sockets} alone
 * as a usage error, and against a real {@code tcp-server}, the two failures the issue saw: a busy server,
 * and an idle timeout while the student types.
 */
@Timeout(value = 60, unit = SECONDS, threadMode = SEPARATE_THREAD)
class ClientUsageTest {
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final Duration LINE = Duration.ofSeconds(20);

    @Test
    void socketsWithNoCommandIsAUsageErrorOnStderr() throws Exception {
        try (JarProcess bare = JarProcess.start()) {
            assertEquals(2, bare.exitCode(EXIT), bare.stdout());
            assertEquals("", bare.stdout());
            assertTrue(bare.stderr().startsWith("Usage: sockets [-hV] [COMMAND]\n"), bare.stderr());
            assertTrue(bare.stderr().contains("\n  tcp-client "), bare.stderr());
        }
        try (JarProcess help = JarProcess.start("--help")) {
            assertEquals(0, help.exitCode(EXIT), help.stderr());
            assertTrue(help.stdout().startsWith("Usage: sockets [-hV] [COMMAND]\n"), help.stdout());
            assertEquals("", help.stderr());
        }
    }

    @Test
    void tcpClientTakesHostAndPortAsNcDoes() throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--bind", "127.0.0.1", "--port", "0")) {
            int port = server.awaitPort(LINE);
            try (JarProcess client = JarProcess.start("tcp-client", "127.0.0.1", "" + port, "--id", "b08902001")) {
                assertEquals(0, client.exitCode(EXIT), client.stdout() + client.stderr());
                client.awaitLine("^\\S+  127\\.0\\.0\\.1:" + port + "  server: ID received: B08902001$", LINE);
                assertEquals("", client.stderr());
            }
        }
    }

    @Test
    void udpClientTakesHostPortAndMessageAsTheSlidesVariables() throws Exception {
        try (DatagramSocket server = RawPeer.udp();
             JarProcess client = JarProcess.start("udp-client", "127.0.0.1", "" + server.getLocalPort(), "héllo")) {
            DatagramPacket request = RawPeer.receive(server);
            assertEquals(show(bytes("héllo")), show(RawPeer.payload(request)));
            server.send(new DatagramPacket(Protocol.UDP_REPLY, Protocol.UDP_REPLY.length, request.getSocketAddress()));
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            client.awaitLine("reply from 127\\.0\\.0\\.1:" + server.getLocalPort() + ": data received$", LINE);
        }
    }

    @Test
    void aPositionalAndItsOptionTogetherIsAUsageErrorThatSaysSo() throws Exception {
        try (JarProcess both = JarProcess.start("tcp-client", "10.0.0.1", "--host", "10.0.0.2")) {
            assertEquals(2, both.exitCode(EXIT), both.stdout());
            assertEquals("HOST and --host are the same setting, given twice ('10.0.0.1' and '10.0.0.2'): give it once,"
                    + " either way\n"
                    + "Usage: sockets tcp-client [HOST [PORT]] [options]\n"
                    + "Try 'sockets tcp-client --help' for the options and their defaults.\n", both.stderr());
        }
        try (JarProcess both = JarProcess.start("udp-client", "localhost", "5005", "hi", "--msg", "ho")) {
            assertEquals(2, both.exitCode(EXIT), both.stdout());
            assertTrue(both.stderr().startsWith("MESSAGE and --msg are the same setting, given twice ('hi' and 'ho')"),
                    both.stderr());
        }
    }

    @Test
    void aUsageErrorShowsTheRightForm() throws Exception {
        try (JarProcess extra = JarProcess.start("tcp-client", "127.0.0.1", "41234", "b08902001")) {
            assertEquals(2, extra.exitCode(EXIT), extra.stdout());
            assertEquals("Unmatched argument at index 3: 'b08902001'\n"
                    + "Usage: sockets tcp-client [HOST [PORT]] [options]\n"
                    + "Try 'sockets tcp-client --help' for the options and their defaults.\n", extra.stderr());
        }
        try (JarProcess portFirst = JarProcess.start("udp-client", "5005")) {
            assertEquals(2, portFirst.exitCode(EXIT), portFirst.stdout());
            assertEquals("'5005' looks like a port: give the host first, as in 'sockets udp-client localhost 5005'\n"
                    + "Usage: sockets udp-client [HOST [PORT [MESSAGE]]] [options]\n"
                    + "Try 'sockets udp-client --help' for the options and their defaults.\n", portFirst.stderr());
        }
    }

    /** The issue's own run: with --max-clients 1, a second client is told "busy": exit 1, one line, no ID sent. */
    @Test
    void aSecondClientOfAFullServerExits1WithOneLine() throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--bind", "127.0.0.1", "--port", "0", "--max-clients", "1")) {
            int port = server.awaitPort(LINE);
            try (RawPeer first = RawPeer.connect(port)) {
                first.readExactly(Protocol.PROMPT.length);   // the first is being served
                try (JarProcess second = JarProcess.start("tcp-client", "--host", "127.0.0.1", "--port", "" + port,
                        "--id", "second")) {
                    assertEquals(1, second.exitCode(EXIT), second.stdout());
                    assertEquals("Error: 127.0.0.1:" + port + " is busy: it serves as many clients as it may, and closed"
                            + " the connection without asking for an ID; run tcp-client again in a moment",
                            CommandLineTest.oneErrorLine(second));
                    assertFalse(second.stdout().contains("sent: second"), second.stdout());
                }
            }
        }
    }

    /**
     * A slow student, and a server whose idle timeout ends the wait: tcp-client says so as soon as the
     * server closes, while nobody has pressed Enter (its stdin stays open).
     */
    @Test
    void theServersIdleTimeoutIsReportedWhileTheStudentIsStillTyping() throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--bind", "127.0.0.1", "--port", "0", "--idle-timeout", "1s")) {
            int port = server.awaitPort(LINE);
            try (JarProcess student = JarProcess.start("tcp-client", "--host", "127.0.0.1", "--port", "" + port)) {
                student.awaitLine("server: What's your student ID\\?$", LINE);
                assertEquals(1, student.exitCode(EXIT), student.stdout());
                String error = CommandLineTest.oneErrorLine(student);
                assertTrue(error.startsWith("Error: 127.0.0.1:" + port + " closed the connection after 1"), error);
                assertTrue(error.contains("before the ID was sent: most likely its idle timeout"), error);
            }
            server.awaitLine("closed: silent for 1s \\(idle timeout\\)$", LINE);
        }
    }
}
