package lab.sockets;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * How the servers start and stop, against the real jar: a port in use and an address that is not this
 * machine's are one-line errors with exit code 1; SIGTERM stops accepting, lets a conversation in flight
 * finish, does not wait forever for one that never will, completes the roster and exits 0.
 */
class StartStopTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration EXIT = Duration.ofSeconds(20);
    /** The server's grace for conversations in flight is a few seconds; this bounds the whole shutdown. */
    private static final Duration SHUTDOWN = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp-server", "udp-server"})
    @Timeout(60)
    void aServerOnAPortInUseSaysSoInOneLineAndExits1(String command) throws Exception {
        try (JarProcess first = JarProcess.start(command, "--port", "0")) {
            int port = first.awaitPort(STARTUP);
            assertOneLineError(JarProcess.start(command, "--port", String.valueOf(port)),
                    "Error: port " + port + " is already in use (is another server running?)");
            // the first server is untouched
            if (command.equals("tcp-server")) {
                RawPeer.assertGoodClientServed(port);
            } else {
                RawPeer.assertUdpServed(port);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp-server", "udp-server"})
    @Timeout(60)
    void aServerOnAnAddressNotOfThisMachineSaysSoInOneLineAndExits1(String command) throws Exception {
        String foreign = foreignAddress();
        String line = assertOneLineError(JarProcess.start(command, "--port", "0", "--bind", foreign), null);
        assertTrue(line.contains(foreign), "names the address: " + line);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "tcp-server --port 70000, --port", "tcp-server --port -1, --port",
            "udp-server --port 70000, --port", "udp-server --port -1, --port",
            "tcp-server --port 0 --max-clients 0, --max-clients", "tcp-server --port 0 --max-clients -3, --max-clients",
            "tcp-server --port 0 --deadline 0, --deadline", "tcp-server --port 0 --idle-timeout 0, --idle-timeout",
            "tcp-server --port 0 --backlog -1, --backlog"})
    @Timeout(60)
    void aValueNoServerCanRunWithIsAUsageErrorNotAStackTrace(String commandLine, String option) throws Exception {
        try (JarProcess server = JarProcess.start(commandLine.split(" "))) {
            try {
                String banner = server.awaitLine("listening", Duration.ofSeconds(15));
                fail("started: " + commandLine + " (" + banner + ")");
            } catch (AssertionError ended) {
                if (ended.getMessage() == null || !ended.getMessage().startsWith("output ended")) {
                    throw ended;
                }
            }
            int exit = server.exitCode(EXIT);
            String err = server.stderr();
            assertFalse(err.contains("Exception") || err.contains("\tat "), "a stack trace:\n" + err);
            assertEquals(2, exit, "exit code of a usage error; stderr:\n" + err);
            assertTrue(err.lines().findFirst().orElse("").contains(option), "the first line names " + option + ":\n" + err);
        }
    }

    /** Exit code 1, nothing on stdout, one line on stderr starting "Error: " (equal to {@code expected} if given). */
    private static String assertOneLineError(JarProcess process, String expected) throws Exception {
        try (process) {
            assertEquals(1, process.exitCode(EXIT), "exit code; stderr:\n" + process.stderr());
            List<String> lines = process.stderr().lines().toList();
            assertEquals(1, lines.size(), "one line on stderr, no stack trace:\n" + process.stderr());
            assertTrue(lines.get(0).startsWith("Error: "), lines.get(0));
            if (expected != null) {
                assertEquals(expected, lines.get(0));
            }
            assertEquals("", process.stdout(), "no banner for a server that did not start");
            return lines.get(0);
        }
    }

    /**
     * An address of TEST-NET-1 (RFC 5737, documentation only) that is not this machine's. The test first
     * checks that the kernel really refuses to bind it (no interface has it, no ip_nonlocal_bind).
     */
    private static String foreignAddress() throws IOException {
        for (int last = 123; last < 254; last++) {
            InetAddress candidate = InetAddress.getByName("192.0.2." + last);
            if (NetworkInterface.getByInetAddress(candidate) != null) {
                continue;   // this machine has it (some sandboxes use TEST-NET-1 themselves)
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(candidate, 0));
            } catch (BindException notOurs) {
                return candidate.getHostAddress();
            }
            Assumptions.abort("the kernel lets this machine bind " + candidate.getHostAddress()
                    + ", which it does not have (net.ipv4.ip_nonlocal_bind=1?): cannot test a foreign address here");
        }
        Assumptions.abort("every address of 192.0.2.123-253 is this machine's");
        return null;
    }

    @Test
    @Timeout(60)
    void onSigtermAConversationInFlightFinishesAndIsInTheRosterThenExit0() throws Exception {
        Path roster = dir.resolve("roster.csv");
        byte[] line = (RawPeer.GOOD_ID + "\n").getBytes(UTF_8);
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--roster", roster.toString());
             RawPeer student = RawPeer.connect(server.awaitPort(STARTUP));
             RawPeer.Typing typing = student.expectPrompt().typeSlowly(line, Duration.ofMillis(100))) {
            // typed 100 ms a key, well inside the quiet pause: the ID is still coming when the signal arrives
            assertTrue(typing.awaitTyped(4, Duration.ofSeconds(10)), "could not type the first bytes");
            server.terminate();
            server.awaitLine("stopping", SHUTDOWN);

            RawPeer.Reply reply = student.readToEnd();
            assertEquals("ID received: B08902001\n", reply.text(),
                    "the conversation in flight when SIGTERM came is let finish (it takes under a second)");
            assertEquals(0, server.exitCode(SHUTDOWN), "exit code after SIGTERM; stderr:\n" + server.stderr());
            List<String> lines = Files.readAllLines(roster, UTF_8);
            assertTrue(lines.stream().anyMatch(l -> l.matches("^[^,]+," + Pattern.quote(student.name())
                    + ",B08902001,$")), "the acknowledged ID is in the roster:\n" + String.join("\n", lines));
        }
    }

    @Test
    @Timeout(60)
    void onSigtermAClientThatNeverFinishesDoesNotHoldUpTheExit() throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0");
             RawPeer silent = RawPeer.connect(server.awaitPort(STARTUP), Duration.ofSeconds(15))) {
            silent.expectPrompt();   // then nothing, ever: only the default idle timeout (a minute) would end it
            long start = System.nanoTime();
            server.terminate();
            assertEquals(0, server.exitCode(SHUTDOWN), "exit code after SIGTERM; stderr:\n" + server.stderr());
            RawPeer.Reply reply = silent.readToEnd();
            assertNotEquals(RawPeer.End.TIMEOUT, reply.end(), "the server exited, yet the connection stayed open");
            System.out.println("exit after SIGTERM with a silent client: "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            server.awaitLine(silent.line("(?i)closed|shutting down"), SHUTDOWN);
            assertTrue(server.stdout().lines().anyMatch(l -> l.endsWith("stopped")),
                    "the last line says the server stopped:\n" + server.stdout());
        }
    }

    @Test
    @Timeout(60)
    void afterSigtermNewClientsAreRefusedAtOnce() throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0")) {
            int port = server.awaitPort(STARTUP);
            try (RawPeer inFlight = RawPeer.connect(port)) {
                inFlight.expectPrompt();   // silent: keeps the server in its grace period for the whole grace
                server.terminate();
                server.awaitLine("stopping", SHUTDOWN);
                // A client arriving now must learn at once that nobody is serving: refused, or reset without a
                // word. Left in the listen backlog it would hang until the grace ends, and a race could serve it.
                long start = System.nanoTime();
                try (RawPeer late = RawPeer.connect(port, Duration.ofSeconds(1))) {
                    RawPeer.Reply reply = late.readToEnd();
                    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertEquals("", reply.text(), "a client arriving after SIGTERM was served");
                    assertNotEquals(RawPeer.End.TIMEOUT, reply.end(),
                            "a client arriving after SIGTERM was neither refused nor closed within 1 s");
                    System.out.println("late client after SIGTERM: " + reply.end() + " after " + took + " ms");
                } catch (SocketException refusedOrReset) {   // ConnectException, or a reset of a queued connection
                    System.out.println("late client after SIGTERM: " + refusedOrReset.getMessage());
                }
            }
            assertEquals(0, server.exitCode(SHUTDOWN), "exit code after SIGTERM; stderr:\n" + server.stderr());
            assertFalse(server.stdout().contains("  ID "), "nobody sent an ID:\n" + server.stdout());
        }
    }
}
