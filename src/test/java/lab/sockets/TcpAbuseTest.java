package lab.sockets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What thirty students and their own buggy clients send, one abuse per test, against the real jar: each
 * costs only its own conversation, gets a log line with nothing raw in it, and a good client is served
 * right after. Most cases share one server, which must survive them all; the two that measure the
 * process (500 silent connections, 2,000 connect/close) get a server of their own.
 */
class TcpAbuseTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration LOG = Duration.ofSeconds(10);

    private static JarProcess server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        server = JarProcess.start("tcp-server", "--port", "0");
        port = server.awaitPort(STARTUP);
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            assertConsoleClean(server);
            server.terminate();
            assertEquals(0, server.exitCode(Duration.ofSeconds(20)), "exit code after SIGTERM");
        } finally {
            server.close();
        }
    }

    /** Sends {@code line} as one write and returns what the server answers until it closes. */
    private static RawPeer.Reply converse(RawPeer peer, byte[] line) throws IOException {
        return peer.expectPrompt().send(line).readToEnd();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static final byte[] NL = {'\n'};

    /** An ID that would upset a terminal or hide what it is, and what its console line must show instead. */
    record HostileId(String name, byte[] id, List<String> shown, String why) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<HostileId> hostileIds() {
        return Stream.of(
                new HostileId("invalid UTF-8", new byte[] {'b', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '(',
                        (byte) 0xed, (byte) 0xa0, (byte) 0x80, (byte) 0xf8, 'z'},
                        List.of("ID B\\xff\\xfe\\xc3("), "bytes that are not UTF-8 are shown as \\xNN"),
                new HostileId("NUL bytes", "b08\u0000\u0000902001".getBytes(UTF_8),
                        List.of("ID B08\\x00\\x00902001 ("), "NUL is shown as \\x00"),
                // clear screen, cursor home, red, set the window title (ended by BEL), and a C1 CSI (U+009B) in UTF-8
                new HostileId("ANSI escape sequences", "\u001b[2J\u001b[H\u001b[31mred\u001b]0;pwned\u0007\u009b31mx".getBytes(UTF_8),
                        List.of("\\x1b[2J\\x1b[H\\x1b[31MRED\\x1b]0;PWNED\\x07", "\\u009b"),
                        "ESC and BEL are shown as \\x1b and \\x07, the C1 CSI as \\u009b"),
                // right-to-left override ("Trojan Source"), zero-width space, Unicode line and paragraph separators
                new HostileId("invisible formatting characters", "abc\u202edcb\u200bz\u2028x\u2029y".getBytes(UTF_8),
                        List.of("ABC\\u202eDCB\\u200bZ\\u2028X\\u2029Y"), "shown as \\uXXXX"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileIds")
    @Timeout(30)
    void anIdThatCouldUpsetTheConsoleIsShownEscapedAndAcknowledgedAsItsBytes(HostileId hostile) throws Exception {
        try (RawPeer peer = RawPeer.connect(port)) {
            RawPeer.Reply reply = converse(peer, concat(hostile.id(), NL));
            RawPeer.assertBytes(RawPeer.ackFor(hostile.id()), reply.bytes(),
                    "the acknowledgement (the ID's own bytes, upper-cased)");
            String line = server.awaitLine(peer.line("ID "), LOG);
            for (String shown : hostile.shown()) {
                assertTrue(line.contains(shown), hostile.why() + "; no " + shown + " in: " + line);
            }
        }
        assertConsoleClean(server);
        RawPeer.assertGoodClientServed(port);
    }

    @Test
    @Timeout(60)
    void aOneMegabyteReplyAddsAtMostAFewKilobytesToTheConsole() throws Exception {
        int before = server.stdout().length();
        byte[] megabyte = new byte[1 << 20];
        Arrays.fill(megabyte, (byte) 'a');
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (RawPeer peer = RawPeer.connect(port)) {
            peer.expectPrompt();
            Future<?> sending = writer.submit(() -> {
                try {
                    peer.send(megabyte);
                } catch (IOException closedByTheServer) {
                    // the server may close once it has its 1000 bytes and lingered: that is allowed
                }
                return null;
            });
            RawPeer.Reply reply = peer.readToEnd();
            byte[] ack = concat(Protocol.ACK_PREFIX, "A".repeat(Protocol.MAX_ID_BYTES).getBytes(UTF_8), NL);
            assertNotEquals(RawPeer.End.TIMEOUT, reply.end(), "the connection never ended");
            assertTrue(reply.end() != RawPeer.End.END_OF_STREAM || Arrays.equals(ack, reply.bytes()),
                    "a clean end brings the whole acknowledgement of the first 1000 bytes; got "
                            + reply.bytes().length + " bytes");
            assertTrue(Arrays.equals(Arrays.copyOf(ack, reply.bytes().length), reply.bytes()),
                    "what arrived is the acknowledgement of the first 1000 bytes (or the start of it)");
            String line = server.awaitLine(peer.line("ID "), LOG);
            assertTrue(line.contains(String.valueOf(Protocol.MAX_ID_BYTES)),
                    "the log line says the ID was cut at 1000 bytes: " + line.substring(0, Math.min(200, line.length())));
            peer.close();
            sending.get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
        RawPeer.assertGoodClientServed(port);
        int grown = server.stdout().length() - before;
        assertTrue(grown <= 8 * 1024, "a 1 MB reply added " + grown + " characters to the console");
        assertConsoleClean(server);
    }

    @Test
    @Timeout(30)
    void anIdWrittenOneByteAtATimeWithPausesIsReadWhole() throws Exception {
        byte[] line = (RawPeer.GOOD_ID + "\n").getBytes(UTF_8);
        try (RawPeer peer = RawPeer.connect(port)) {
            peer.expectPrompt();
            // 250 ms apart: shorter than the 500 ms quiet pause, so every byte belongs to the same ID
            try (RawPeer.Typing typing = peer.typeSlowly(line, Duration.ofMillis(250))) {
                RawPeer.Reply reply = peer.readToEnd();
                assertEquals("ID received: B08902001\n", reply.text(), "the ID read whole from " + line.length + " writes");
            }
            server.awaitLine(peer.line("ID B08902001 \\("), LOG);
        }
        RawPeer.assertGoodClientServed(port);
    }

    @Test
    @Timeout(30)
    void aCrLfEndingIsNotPartOfTheId() throws Exception {
        try (RawPeer peer = RawPeer.connect(port)) {
            RawPeer.Reply reply = converse(peer, (RawPeer.GOOD_ID + "\r\n").getBytes(UTF_8));
            assertEquals("ID received: B08902001\n", reply.text(), "the acknowledgement has no \\r");
            String line = server.awaitLine(peer.line("ID "), LOG);
            assertTrue(line.contains("ID B08902001 ("), "the console shows the ID without \\r: " + line);
            assertFalse(line.contains("\\x0d"), "the console shows the ID without \\r: " + line);
        }
        RawPeer.assertGoodClientServed(port);
    }

    @Test
    @Timeout(30)
    void anEmptyLineThenCloseEndsTheConversationWithALogLine() throws Exception {
        try (RawPeer peer = RawPeer.connect(port)) {
            peer.expectPrompt().send("\n").shutdownOutput();
            RawPeer.Reply reply = peer.readToEnd();
            assertNotEquals(RawPeer.End.TIMEOUT, reply.end(), "the conversation never ended");
            assertTrue(reply.text().startsWith("ID not recorded: empty ID"),
                    "an empty ID is told it was not recorded, never acknowledged: " + Protocol.escape(reply.bytes()));
            server.awaitLine(peer.line("(?i)empty|no ID|without"), LOG);
        }
        RawPeer.assertGoodClientServed(port);
    }

    @Test
    @Timeout(30)
    void aClientThatClosesBeforeReadingThePromptIsLogged() throws Exception {
        RawPeer peer = RawPeer.connect(port);
        peer.close();
        server.awaitLine(peer.line("(?i)left|reset|closed"), LOG);
        RawPeer.assertGoodClientServed(port);
    }

    @Test
    @Timeout(30)
    void aResetInTheMiddleOfTheIdIsLogged() throws Exception {
        RawPeer peer = RawPeer.connect(port);
        peer.expectPrompt().send("b0890").reset();
        server.awaitLine(peer.line("(?i)reset|left|closed"), LOG);
        RawPeer.assertGoodClientServed(port);
    }

    @Test
    @Timeout(30)
    void neitherACarriageReturnNorANewlineInAReplyCanForgeALogLine() throws Exception {
        String forged = "12:00:00.000  10.9.8.7:4242  ID FORGED";
        try (RawPeer peer = RawPeer.connect(port)) {
            converse(peer, ("x\r" + forged + " (ended by newline)\n" + forged + "2 (ended by newline)\n").getBytes(UTF_8));
            String line = server.awaitLine(peer.line("ID "), LOG);
            assertTrue(line.contains("X\\x0d12:00:00.000"), "a CR inside the ID is shown as \\x0d: " + line);
        }
        RawPeer.assertGoodClientServed(port);
        List<String> lines = server.stdout().lines().toList();
        assertFalse(lines.stream().anyMatch(l -> l.startsWith(forged)),
                "a raw CR let the client start a console line of its own:\n" + String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.contains("FORGED2") && !l.contains("  ignored ")),
                "what came after the newline is only mentioned, escaped, as ignored, never shown as a line:\n"
                        + String.join("\n", lines));
    }

    @Test
    @Timeout(120)
    void with500SilentConnectionsHeldOpenAGoodClientIsServedWithinASecond() throws Exception {
        try (JarProcess own = JarProcess.start("tcp-server", "--port", "0")) {
            int ownPort = own.awaitPort(STARTUP);
            List<RawPeer> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) {
                    silent.add(RawPeer.connect(ownPort));
                }
                for (RawPeer peer : silent) {
                    assertNotNull(peer.promptWithin(Duration.ofSeconds(10)), "silent client " + peer.name() + " was not accepted");
                }
                List<Long> times = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    RawPeer.assertGoodClientServed(ownPort);
                    times.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
                System.out.println("good client with 500 silent connections open, served in (ms): " + times);
                // the spec's figure is 1 s; best of three, so one scheduling hiccup of a shared machine is no failure
                long best = times.stream().mapToLong(Long::longValue).min().orElseThrow();
                assertTrue(best <= 1_000, "served in " + times + " ms; the figure is 1 s");
                assertTrue(times.stream().allMatch(t -> t <= 5_000), "served in " + times + " ms");
            } finally {
                for (RawPeer peer : silent) {
                    peer.close();
                }
            }
        }
    }

    @Test
    @Timeout(180)
    void after2000ConnectCloseInARowTheServerHoldsNoMoreDescriptorsThanBefore() throws Exception {
        try (JarProcess own = JarProcess.start("tcp-server", "--port", "0")) {
            int ownPort = own.awaitPort(STARTUP);
            long pid = own.pid();
            connectAndClose(own, ownPort, 50);   // warm-up: whatever the JVM opens once, it has opened now
            int before = Proc.openFds(pid);

            connectAndClose(own, ownPort, 2000);
            boolean settled = Proc.until(Duration.ofSeconds(15), () -> {
                try {
                    return Proc.openFds(pid) <= before;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int after = Proc.openFds(pid);
            System.out.println("server descriptors: " + before + " before 2000 connect/close, " + after + " after");
            assertTrue(settled, "the server holds " + after + " descriptors, " + before + " before the 2000 connections:\n"
                    + describeFds(pid));
            RawPeer.assertGoodClientServed(ownPort);
        }
    }

    /**
     * {@code count} clients that connect and close at once, half after reading the prompt (FIN), half
     * without (the unread prompt makes the kernel send RST); returns once the server has logged the end
     * of every one of them.
     */
    private static void connectAndClose(JarProcess on, int onPort, int count) throws Exception {
        int endsBefore = ends(on.stdout());
        for (int i = 0; i < count; i++) {
            try (RawPeer peer = RawPeer.connect(onPort)) {
                if (i % 2 == 0) {
                    peer.expectPrompt();
                }
            }
        }
        on.awaitStdout(stdout -> ends(stdout) >= endsBefore + count, "a line for the end of each of " + count
                + " connections", Duration.ofSeconds(60));
    }

    /** Console lines that end a client's conversation: about a peer, and not its "connected" line. */
    private static int ends(String stdout) {
        return (int) stdout.lines().filter(l -> l.contains("127.0.0.1:") && !l.endsWith("  connected")).count();
    }

    private static String describeFds(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Paths.get("/proc", String.valueOf(pid), "fd"))) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return fd.getFileName() + " (gone)";
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    /** No control character, C1 control, Unicode line break, invisible format character or undecodable byte on the console. */
    static void assertConsoleClean(JarProcess process) {
        Terminal.assertShowsOnly(process.stdout(), "the server's stdout");
        Terminal.assertShowsOnly(process.stderr(), "the server's stderr");
    }
}
