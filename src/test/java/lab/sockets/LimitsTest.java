package lab.sockets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    @Test
    @Timeout(60)
    void theDeadlineCutsAClientTricklingOneByteEvery300Ms() throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--deadline", "2s")) {
            int port = server.awaitPort(STARTUP);
            RawPeer trickler = RawPeer.connect(port, Duration.ofSeconds(15));
            trickler.expectPrompt();
            // faster than the 500 ms quiet pause, so each byte keeps the ID open: only the deadline can end it
            AtomicInteger sent = new AtomicInteger();
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            long start = System.nanoTime();
            try {
                clock.scheduleAtFixedRate(() -> {
                    try {
                        trickler.send("a");
                        sent.incrementAndGet();
                    } catch (IOException closedByTheServer) {
                        throw new RuntimeException(closedByTheServer);   // ends the schedule
                    }
                }, 0, 300, TimeUnit.MILLISECONDS);
                RawPeer.Reply reply = trickler.readToEnd();
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertNotEquals(RawPeer.End.TIMEOUT, reply.end(), "the trickling client was never cut");
                assertFalse(reply.text().contains("ID received"),
                        "the ID never ended (each byte came within the quiet pause), yet it was acknowledged: "
                                + Protocol.escape(reply.bytes()));
                assertTrue(took >= 1_000 && took < 6_000, "cut after " + took + " ms; the deadline is 2 s");
                assertTrue(sent.get() >= 4, "only " + sent.get() + " bytes trickled before the cut");
            } finally {
                clock.shutdownNow();
                trickler.close();
            }
            server.awaitLine(trickler.line("(?i)deadline|too long|took longer"), LOG);
            RawPeer.assertGoodClientServed(port);
        }
    }

    @Test
    @Timeout(60)
    void theIdleTimeoutClosesASilentClientWithALogLine() throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--idle-timeout", "1s")) {
            int port = server.awaitPort(STARTUP);
            RawPeer silent = RawPeer.connect(port, Duration.ofSeconds(15));
            silent.expectPrompt();
            long start = System.nanoTime();
            RawPeer.Reply reply = silent.readToEnd();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertNotEquals(RawPeer.End.TIMEOUT, reply.end(), "the silent client was never closed");
            assertTrue(took >= 700 && took < 6_000, "closed after " + took + " ms; the idle timeout is 1 s");
            silent.close();
            server.awaitLine(silent.line("(?i)idle|silent"), LOG);
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
                    server.awaitLine(fourth.line("(?i)busy"), LOG);
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
            try (Exhaustion exhausted = new Exhaustion(port)) {
                server.awaitErrLine("(?i)EMFILE|too many open files", LOG);

                // the held-back client waits 3 s for a prompt; meanwhile the server must be idle, not spinning
                long cpuBefore = Proc.cpuMillis(server.pid());
                long start = System.nanoTime();
                assertNull(exhausted.heldBack.promptWithin(Duration.ofSeconds(3)),
                        "a client was served while no descriptor was free");
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
            try (Exhaustion exhausted = new Exhaustion(port)) {
                server.awaitErrLine("(?i)EMFILE|too many open files", LOG);
                assertNull(exhausted.heldBack.promptWithin(Duration.ofSeconds(3)),
                        "a client was served while no descriptor was free");
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

    /** Connections opened until the server can accept no more: the last one waits in the backlog unserved. */
    private static final class Exhaustion implements AutoCloseable {
        private static final int MOST = 300;
        final List<RawPeer> accepted = new ArrayList<>();
        final RawPeer heldBack;

        Exhaustion(int port) throws IOException {
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
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
            assertNotNull(last, "the server still accepted after " + MOST + " connections: is `ulimit -n` in effect?");
            heldBack = last;
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
