package lab.sockets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's time and size limits, each its own test against the real jar: a total deadline per
 * conversation, an idle timeout, a cap on clients at once, and running out of file descriptors.
 * After each, a good client must still be served.
 */
class LimitsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration LOG = Duration.ofSeconds(10);

    /**
     * A client that only a time limit can end is cut by it, with a log line. Trickling a byte every 300 ms
     * stays inside the 500 ms quiet pause, so each byte keeps the ID open: only the deadline ends it. A
     * silent client (no typing) has only the idle timeout.
     */
    @ParameterizedTest(name = "{0} {1} cuts a client typing a byte every {2} ms (0: silent)")
    @CsvSource({
            "--deadline,     2s, 300, 1000, (?i)deadline|too long|took longer",
            "--idle-timeout, 1s,   0,  700, (?i)idle|silent"})
    @Timeout(60)
    void aTimeLimitCutsTheClientItIsForAndSaysSo(String option, String limit, int typingGapMs, int atLeastMs,
                                                  String logged) throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", option, limit)) {
            int port = server.awaitPort(STARTUP);
            String client;
            try (RawPeer peer = RawPeer.connect(port, Duration.ofSeconds(15))) {
                client = peer.line(logged);
                peer.expectPrompt();
                long start = System.nanoTime();
                try (RawPeer.Typing typing = typingGapMs == 0 ? null
                        : peer.typeSlowly("a".repeat(100).getBytes(UTF_8), Duration.ofMillis(typingGapMs))) {
                    RawPeer.Reply reply = peer.readToEnd();
                    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertNotEquals(RawPeer.End.TIMEOUT, reply.end(), "the client was never cut");
                    assertFalse(reply.text().contains("ID received"),
                            "the ID never ended (each byte came within the quiet pause), yet it was acknowledged: "
                                    + Protocol.escape(reply.bytes()));
                    assertTrue(took >= atLeastMs && took < 6_000, "cut after " + took + " ms; the limit is " + limit);
                    if (typing != null) {
                        assertTrue(typing.typed() >= 4, "only " + typing.typed() + " bytes trickled before the cut");
                    }
                }
            }
            server.awaitLine(client, LOG);
            RawPeer.assertGoodClientServed(port);
        }
    }

    @Test
    @Timeout(60)
    void aClientBeyondMaxClientsIsToldTheServerIsBusyAndClosed() throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--max-clients", "3")) {
            int port = server.awaitPort(STARTUP);
            List<RawPeer> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(RawPeer.connect(port).expectPrompt());
                }
                try (RawPeer fourth = RawPeer.connect(port, Duration.ofSeconds(5))) {
                    RawPeer.Reply reply = fourth.readToEnd();
                    assertNotEquals(RawPeer.End.TIMEOUT, reply.end(),
                            "the 4th client was left hanging; it got: " + Protocol.escape(reply.bytes()));
                    String text = reply.text();
                    assertTrue(text.toLowerCase(Locale.ROOT).contains("busy"),
                            "the 4th client is told the server is busy: " + Protocol.escape(reply.bytes()));
                    assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1,
                            "one line: " + Protocol.escape(reply.bytes()));
                    assertFalse(text.contains("student ID"), "no prompt for a refused client: " + text);
                    server.awaitLine(fourth.line("refused: server busy \\(3 clients connected, --max-clients\\)"), LOG);
                }
                // one seat frees up: the next client is served
                RawPeer leaving = held.remove(0);
                leaving.close();
                server.awaitLine(leaving.line("(?i)left|closed|reset"), LOG);
                RawPeer.assertGoodClientServed(port);
            } finally {
                for (RawPeer peer : held) {
                    peer.close();
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void outOfFileDescriptorsTheServerPausesWithoutExitingOrSpinningAndRecovers() throws Exception {
        try (JarProcess server = underLowFdLimit()) {
            int port = server.awaitPort(STARTUP);
            try (Exhaustion exhausted = new Exhaustion(server, port)) {
                // the held-back client waits 3 s for a prompt; meanwhile the server must be idle, not spinning
                long cpuBefore = Proc.cpuMillis(server.pid());
                long start = System.nanoTime();
                exhausted.assertHeldBackUnservedFor(Duration.ofSeconds(3));
                long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                long cpu = Proc.cpuMillis(server.pid()) - cpuBefore;
                System.out.printf("fd exhaustion: %d connections accepted; server used %d ms CPU in %d ms%n",
                        exhausted.accepted.size(), cpu, wall);
                assertTrue(cpu < wall / 2, "the server spins while out of descriptors: " + cpu
                        + " ms of CPU in " + wall + " ms");
                assertTrue(Proc.alive(server.pid()), "the server exited:\n" + server.stderr());

                // clients accepted before the descriptors ran out are still served meanwhile
                RawPeer.Reply reply = exhausted.accepted.get(0).send(RawPeer.GOOD_ID + "\n").readToEnd();
                assertEquals("ID received: B08902001\n", reply.text(), "an accepted client while out of descriptors");
            }
            // descriptors are free again: the server accepts by itself
            RawPeer.assertGoodClientServed(port);
        }
    }

    @Test
    @Timeout(120)
    void runningOutOfFileDescriptorsIsLoggedOnceNotOnEveryRetry() throws Exception {
        try (JarProcess server = underLowFdLimit()) {
            int port = server.awaitPort(STARTUP);
            try (Exhaustion exhausted = new Exhaustion(server, port)) {
                exhausted.assertHeldBackUnservedFor(Duration.ofSeconds(3));
                long lines = server.stderr().lines().filter(l -> l.matches("(?i).*(EMFILE|too many open files).*")).count();
                // one line per event loop at most (one per core); a line per 100 ms retry floods the TA's screen
                assertTrue(lines <= Runtime.getRuntime().availableProcessors() + 1,
                        lines + " lines in 3 s about the same exhaustion; stderr:\n" + head(server.stderr(), 10));
            }
            RawPeer.assertGoodClientServed(port);
        }
    }

    private static String head(String text, int lines) {
        return String.join("\n", text.lines().limit(lines).toList()) + "\n...";
    }

    /** {@code tcp-server --port 0} with at most 64 file descriptors, about 50 of them free for clients. */
    private static JarProcess underLowFdLimit() throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        return JarProcess.command(List.of("bash", "-c", "ulimit -n 64 && exec \"$0\" -jar \"$1\" tcp-server --port 0",
                java, JarProcess.jar().toAbsolutePath().toString()));
    }

    /**
     * Connections opened until the server can accept no more: the last one waits in the backlog unserved,
     * and the server has said on stderr that it ran out of descriptors.
     */
    private static final class Exhaustion implements AutoCloseable {
        private static final int MOST = 300;
        final List<RawPeer> accepted = new ArrayList<>();
        final RawPeer heldBack;

        Exhaustion(JarProcess server, int port) throws IOException, InterruptedException {
            RawPeer last = null;
            try {
                while (accepted.size() < MOST) {
                    RawPeer peer = RawPeer.connect(port);
                    if (peer.promptWithin(Duration.ofSeconds(1)) == null) {
                        last = peer;
                        break;
                    }
                    accepted.add(peer);
                }
                assertNotNull(last, "the server still accepted after " + MOST + " connections: is `ulimit -n` in effect?");
                server.awaitErrLine("(?i)EMFILE|too many open files", LOG);
            } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
                close();
                if (last != null) {
                    last.close();
                }
                throw e;
            }
            heldBack = last;
        }

        void assertHeldBackUnservedFor(Duration wait) throws IOException {
            assertNull(heldBack.promptWithin(wait), "a client was served while no descriptor was free");
        }

        @Override
        public void close() throws IOException {
            for (RawPeer peer : accepted) {
                peer.close();
            }
            if (heldBack != null) {
                heldBack.close();
            }
        }
    }
}
