package lab.sockets;

import lab.sockets.tcp.IterativeServer;
import lab.sockets.tcp.RosterFile;
import lab.sockets.tcp.TcpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a TA meets on the first lab day, each with the real server in-process on loopback port 0: slow
 * typing and telnet clients get their whole ID, a browser gets a page instead of a roster line, an ID the
 * class does not use or an empty one is told so, duplicates are marked, the roster cannot carry a
 * spreadsheet formula, and the server's stop summary names who is missing.
 */
@Timeout(30)
class LabDayTest {
    private static final Duration NO_ANSWER_YET = Duration.ofMillis(800);

    private final CapturedConsole console = new CapturedConsole();

    private TcpServer start(TcpServer.Settings settings) throws IOException {
        return TcpServer.start(settings, console.console);
    }

    private static TcpServer.Settings loopback() {
        return TcpServer.Settings.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Windows' telnet as it connects: WILL NAWS, WILL TSPEED, WILL TTYPE, WILL NEW-ENVIRON, DO ECHO, WILL SGA, DO SGA. */
    private static final byte[] WINDOWS_TELNET = bytes(0xff, 0xfb, 0x1f, 0xff, 0xfb, 0x20, 0xff, 0xfb, 0x18, 0xff, 0xfb, 0x27,
            0xff, 0xfd, 0x01, 0xff, 0xfb, 0x03, 0xff, 0xfd, 0x03);
    /** Debian's telnet after {@code ^]} and {@code mode character}: DO SUPPRESS-GO-AHEAD, DO ECHO. */
    private static final byte[] DEBIAN_TELNET = bytes(0xff, 0xfd, 0x03, 0xff, 0xfd, 0x01);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain keys", "windows telnet", "debian telnet"})
    void anIdTypedKeyByKeyWithLongPausesIsRecordedWhole(String client) throws Exception {
        try (TcpServer server = start(loopback()); Socket socket = connect(server)) {
            InputStream in = socket.getInputStream();
            assertEquals("What's your student ID?\n", read(in, Protocol.PROMPT.length));
            byte[] enter = "\r\n".getBytes(UTF_8);
            if (client.equals("windows telnet")) {
                send(socket, WINDOWS_TELNET);
                // every option refused, each request once: DONT for WILL, WONT for DO
                assertArrayEquals(bytes(0xff, 0xfe, 0x1f, 0xff, 0xfe, 0x20, 0xff, 0xfe, 0x18, 0xff, 0xfe, 0x27,
                        0xff, 0xfc, 0x01, 0xff, 0xfe, 0x03, 0xff, 0xfc, 0x03), in.readNBytes(21));
            } else if (client.equals("debian telnet")) {
                send(socket, DEBIAN_TELNET);
                assertArrayEquals(bytes(0xff, 0xfc, 0x03, 0xff, 0xfc, 0x01), in.readNBytes(6));
                enter = bytes('\r', 0);   // telnet's Enter in character mode: CR NUL
            }
            for (char key : "b0890".toCharArray()) {
                send(socket, new byte[] {(byte) key});
                // a pause longer than the quiet pause: the server must still be waiting
                assertNothingWithin(socket, NO_ANSWER_YET);
            }
            for (char key : "2001".toCharArray()) {
                send(socket, new byte[] {(byte) key});
            }
            send(socket, enter);
            assertEquals("ID received: B08902001\n", readAll(in));
        }
        String out = console.awaitOut("ID B08902001 (ended by newline)", Duration.ofSeconds(5));
        assertFalse(out.contains("\\xff"), out);
    }

    @Test
    void aProgramThatSendsItsIdWithoutNewlineAndWaitsIsServedWithinAboutHalfASecond() throws Exception {
        try (TcpServer server = start(loopback()); Socket socket = connect(server)) {
            InputStream in = socket.getInputStream();
            read(in, Protocol.PROMPT.length);
            long sent = System.nanoTime();
            send(socket, "b08902001".getBytes(UTF_8));
            assertEquals("ID received: B08902001\n", readAll(in));
            long millis = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(millis >= Protocol.QUIET_PAUSE.toMillis() && millis < 2_000, millis + " ms");
        }
    }

    @Test
    void bytesSentAfterTheIdAreLoggedNotDroppedSilently() throws Exception {
        try (TcpServer server = start(loopback()); Socket socket = connect(server)) {
            InputStream in = socket.getInputStream();
            read(in, Protocol.PROMPT.length);
            send(socket, "b08902001\nand more\n".getBytes(UTF_8));
            socket.shutdownOutput();
            assertEquals("ID received: B08902001\n", readAll(in));
        }
        console.awaitOut("ignored 9 bytes sent after the ID: and more\\x0a", Duration.ofSeconds(5));
    }

    @Test
    void aBrowserGetsAPageSayingHowToConnectAndIsNotRecorded(@TempDir Path dir) throws Exception {
        Path roster = dir.resolve("roster.csv");
        try (RosterFile file = RosterFile.open(roster, console.console);
             TcpServer server = start(loopback().withRoster(file));
             Socket socket = new Socket()) {
            socket.connect(server.address(), 5_000);
            socket.setSoTimeout(5_000);
            send(socket, "GET / HTTP/1.1\r\nHost: lectern\r\nUser-Agent: test\r\n\r\n".getBytes(UTF_8));
            String page = readAll(socket.getInputStream());
            assertTrue(page.contains("HTTP/1.0 200 OK\r\n"), page);
            assertTrue(page.contains("nc 127.0.0.1 " + server.address().getPort()), page);
        }
        console.awaitOut("a web browser (GET / HTTP/1.1): answered with a page", Duration.ofSeconds(5));
        assertEquals(List.of("time,client,id,note"), Files.readAllLines(roster, UTF_8));
    }

    @Test
    void whenTheLivePageIsOpenToTheClassABrowserIsToldItsAddress() throws Exception {
        try (TcpServer server = start(loopback().withLivePage(8123)); Socket socket = new Socket()) {
            socket.connect(server.address(), 5_000);
            socket.setSoTimeout(5_000);
            send(socket, "GET / HTTP/1.1\r\nHost: lectern\r\n\r\n".getBytes(UTF_8));
            String page = readAll(socket.getInputStream());
            assertTrue(page.contains("Who has got through so far: http://127.0.0.1:8123/"), page);
        }
    }

    @Test
    void aTlsClientHelloIsClosedAtOnceAndNotRecorded() throws Exception {
        try (TcpServer server = start(loopback()); Socket socket = connect(server)) {
            send(socket, bytes(0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03));
            long sent = System.nanoTime();
            readAll(socket.getInputStream());   // whatever came first (the prompt, or nothing), then the close
            assertTrue((System.nanoTime() - sent) / 1_000_000 < Protocol.QUIET_PAUSE.toMillis(), "closed at once");
        }
        String out = console.awaitOut("TLS ClientHello", Duration.ofSeconds(5));
        assertFalse(out.contains(" ID "), out);
    }

    @Test
    void anIdThatDoesNotMatchTheClassPatternIsToldWhyAndNotRecorded() throws Exception {
        Pattern pattern = Pattern.compile("B\\d{8}", Pattern.CASE_INSENSITIVE);
        try (TcpServer server = start(loopback().withClass(pattern, null))) {
            assertEquals("ID not recorded: X12 does not look like a student ID here (B\\d{8})\n",
                    converse(server, "x12\n"));
            assertEquals("ID received: B08902001\n", converse(server, "b08902001\n"));
        }
        console.awaitOut("ID X12 refused: it does not match --id-pattern B\\d{8}, nothing recorded", Duration.ofSeconds(5));
    }

    @Test
    void anEmptyIdIsToldItWasNotRecordedNeverIdReceived() throws Exception {
        try (TcpServer server = start(loopback())) {
            assertEquals("ID not recorded: empty ID; type your student ID, then Enter\n", converse(server, "\n"));
        }
    }

    @Test
    void duplicatesAreMarkedOnTheConsoleInJsonAndInTheRoster(@TempDir Path dir) throws Exception {
        CapturedConsole json = new CapturedConsole(true);
        Path roster = dir.resolve("roster.csv");
        try (RosterFile file = RosterFile.open(roster, json.console);
             TcpServer server = TcpServer.start(loopback().withRoster(file), json.console)) {
            converse(server, "b08902001\n");
            converse(server, "B08902001\n");
        }
        assertTrue(json.out().contains("\"id\":\"B08902001\",\"duplicate\":false"), json.out());
        assertTrue(json.out().contains("\"text\":\"duplicate: B08902001 was recorded before; this is its 2nd time\""), json.out());
        List<String> lines = Files.readAllLines(roster, UTF_8);
        assertTrue(lines.get(1).endsWith(",B08902001,"), lines.toString());
        assertTrue(lines.get(2).endsWith(",B08902001,duplicate"), lines.toString());
    }

    @Test
    void aFormulaInAnIdCannotRunWhenTheRosterIsOpenedInASpreadsheet(@TempDir Path dir) throws Exception {
        Path roster = dir.resolve("roster.csv");
        try (RosterFile file = RosterFile.open(roster, console.console);
             TcpServer server = start(loopback().withRoster(file))) {
            converse(server, "=cmd|\"/c calc\"!A1\n");
            converse(server, "@sum(1)\n");
            converse(server, "-2+3\n");
        }
        List<String> lines = Files.readAllLines(roster, UTF_8);
        assertTrue(lines.get(1).endsWith(",\"'=CMD|\"\"/C CALC\"\"!A1\","), lines.get(1));
        assertTrue(lines.get(2).endsWith(",'@SUM(1),"), lines.get(2));
        assertTrue(lines.get(3).endsWith(",'-2+3,"), lines.get(3));
    }

    @Test
    void theStopSummaryCountsWhatHappenedAndNamesTheMissingStudents(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("class.csv");
        Files.writeString(list, "id,name\nB08902001,Lin\nb08902002,Chen\nB08902003,Wang\n", UTF_8);
        TcpServer server = start(loopback().withClass(null, ClassList.read(list)));
        converse(server, "b08902001\n");
        converse(server, "b08902003\n");
        converse(server, "b08902003\n");
        converse(server, "\n");
        server.close();
        assertEquals(List.of("summary: 3 IDs recorded (1 duplicate), 0 refused by --id-pattern, 1 empty",
                "clients: 4 connected, 0 timed out, 0 turned away busy, 0 from a browser or https",
                "missing 1 of 3 expected: B08902002"), server.summary());
    }

    @Test
    void theIterativeServerTreatsStudentsTheSameWay() throws Exception {
        Pattern pattern = Pattern.compile("B\\d{8}", Pattern.CASE_INSENSITIVE);
        try (IterativeServer server = IterativeServer.start(loopback().withClass(pattern, null), console.console)) {
            assertTrue(converse(server, "x12\n").startsWith("ID not recorded: X12"));
            assertTrue(converse(server, "\n").startsWith("ID not recorded: empty ID"));
            assertEquals("ID received: B08902001\n", converse(server, "b08902001\n"));
        }
    }

    /** One conversation: read the prompt, send {@code id}, return the answer up to the server's close. */
    private static String converse(Server server, String id) throws IOException {
        try (Socket socket = connect(server)) {
            read(socket.getInputStream(), Protocol.PROMPT.length);
            send(socket, id.getBytes(UTF_8));
            return readAll(socket.getInputStream());
        }
    }

    private static Socket connect(Server server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server.address().getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), server.address().getPort()) : server.address(), 5_000);
        socket.setTcpNoDelay(true);   // one key, one segment, as a character-mode client sends them
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        socket.getOutputStream().flush();
    }

    /** Asserts the server sends nothing for {@code wait}: it is still waiting for the rest of the ID. */
    private static void assertNothingWithin(Socket socket, Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(),
                "the server answered during a pause in the typing: the ID was cut");
        socket.setSoTimeout(10_000);
    }

    private static String read(InputStream in, int n) throws IOException {
        byte[] data = in.readNBytes(n);
        return new String(data, UTF_8);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
