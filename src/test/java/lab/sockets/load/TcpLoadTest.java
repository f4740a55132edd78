package lab.sockets.load;

import lab.sockets.JarProcess;
import lab.sockets.Protocol;
import lab.sockets.load.TcpLoadStats.Problem;
import lab.sockets.tcp.TcpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static lab.sockets.load.TinyServers.quietConsole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tcp-load against our server, against small servers that behave like the slides' one or break the protocol,
 * and against nothing at all. Every figure checked is a count, never a speed: the machine may be busy.
 */
@Timeout(60)
class TcpLoadTest {
    /** Long enough for many conversations on any machine; the assertions never depend on how many. */
    private static final Duration RUN = Duration.ofMillis(800);

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Test
    void closedLoopAgainstOurServerGetsEveryConversationAcknowledged() throws Exception {
        try (TcpServer server = TcpServer.start(TcpServer.Settings.of(loopback(0)), quietConsole())) {
            TcpLoadResult result = TcpLoad.run(TcpLoadSettings.closedLoop(server.address(), 20, RUN), quietConsole());

            assertTrue(result.served() > 0, () -> "nothing served: " + result.lines());
            assertEquals(0, result.errors(), () -> "errors: " + result.lines());
            assertEquals(result.served(), result.acknowledged(), () -> "not all acknowledged: " + result.lines());
            assertTrue(result.lines().stream().noneMatch(line -> line.text().contains("refused")),
                    () -> "refusals are shown only when there are some: " + result.lines());
        }
    }

    @Test
    void heldClientsAreAllPromptedThenAllServed() throws Exception {
        try (TcpServer server = TcpServer.start(TcpServer.Settings.of(loopback(0)), quietConsole())) {
            TcpLoadResult result = TcpLoad.run(TcpLoadSettings.hold(server.address(), 300, Duration.ofMillis(200)),
                    quietConsole());

            assertEquals(300, result.prompted(), () -> result.lines().toString());
            assertEquals(300, result.served(), () -> result.lines().toString());
            assertEquals(300, result.acknowledged(), () -> result.lines().toString());
            assertEquals(0, result.errors(), () -> result.lines().toString());
        }
    }

    @Test
    void theSlidesServerWithNoAcknowledgementStillServes() throws Exception {
        // The slides' server: prompt, recv(1000), close. No acknowledgement, one client at a time.
        try (TinyServers.Tcp server = new TinyServers.Tcp(client -> {
            client.getOutputStream().write(Protocol.PROMPT);
            readLine(client.getInputStream());
        })) {
            TcpLoadResult result = TcpLoad.run(TcpLoadSettings.closedLoop(server.address(), 4, RUN), quietConsole());

            assertTrue(result.served() > 0, () -> result.lines().toString());
            assertEquals(result.served(), result.noReplies(), () -> result.lines().toString());
            assertEquals(0, result.errors(), () -> result.lines().toString());
        }
    }

    @Test
    @Timeout(30)
    void theIdsSentCannotBeTakenForStudents() throws Exception {
        // A raw server that records every ID it receives: five held clients answer at once, one ID each.
        List<String> received = new CopyOnWriteArrayList<>();
        try (TinyServers.Tcp server = new TinyServers.Tcp(client -> {
            client.getOutputStream().write(Protocol.PROMPT);
            String id = readLine(client.getInputStream());
            received.add(id);
            client.getOutputStream().write(Protocol.acknowledgement(id.getBytes(UTF_8)));
        }, true)) {
            TcpLoadResult result = TcpLoad.run(TcpLoadSettings.hold(server.address(), 5, Duration.ofMillis(100)),
                    quietConsole());

            assertEquals(5, result.acknowledged(), () -> result.lines().toString());
            assertEquals(List.of("LOAD-000001", "LOAD-000002", "LOAD-000003", "LOAD-000004", "LOAD-000005"),
                    received.stream().sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void theHelpSaysWhichIdsAreSent() {
        CommandRun help = CommandRun.of("tcp-load", "--help");

        assertEquals(0, help.exitCode(), help::toString);
        assertTrue(help.out().contains("LOAD-000001"), help::toString);
    }

    @Test
    void aServerThatRefusesOurIdsIsCountedAsRefusedNotAsErrors() throws Exception {
        // Like tcp-server --id-pattern 'B\d{8}': it answers "ID not recorded: ..." and closes.
        byte[] refusal = Protocol.bytes(new String(Protocol.NOT_RECORDED_PREFIX, UTF_8) + "does not match B\\d{8}\n");
        try (TinyServers.Tcp server = new TinyServers.Tcp(client -> {
            client.getOutputStream().write(Protocol.PROMPT);
            readLine(client.getInputStream());
            client.getOutputStream().write(refusal);
        })) {
            TcpLoadResult result = TcpLoad.run(TcpLoadSettings.closedLoop(server.address(), 2, RUN), quietConsole());
            String replies = result.lines().stream().filter(line -> line.event().equals("replies"))
                    .findFirst().orElseThrow().text();

            assertTrue(result.served() > 0, () -> result.lines().toString());
            assertEquals(result.served(), result.refused(), () -> result.lines().toString());
            assertEquals(0, result.errors(), () -> result.lines().toString());
            assertEquals(0, result.otherReplies(), () -> result.lines().toString());
            assertTrue(replies.endsWith(String.format(Locale.ROOT, ", %,d refused \"ID not recorded: ...\"",
                    result.refused())), replies);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Who are you?\n", "What's your student ID?", "What's your student ID!\n", ""})
    void aWrongOrMissingPromptIsCountedAsSuch(String prompt) throws Exception {
        try (TinyServers.Tcp server = new TinyServers.Tcp(client -> client.getOutputStream().write(prompt.getBytes(UTF_8)))) {
            TcpLoadResult result = TcpLoad.run(TcpLoadSettings.closedLoop(server.address(), 2, RUN), quietConsole());

            assertEquals(0, result.served(), () -> result.lines().toString());
            assertTrue(result.errors(Problem.WRONG_PROMPT) > 0, () -> result.lines().toString());
            assertEquals(result.errors(Problem.WRONG_PROMPT), result.errors(), () -> result.lines().toString());
        }
    }

    @Test
    void aServerThatClosesHeldClientsBeforeTheyAnswerIsCountedAsClosedEarly() throws Exception {
        // Like a server whose idle timeout is shorter than the class's typing: prompt, then close.
        try (TinyServers.Tcp server = new TinyServers.Tcp(client -> client.getOutputStream().write(Protocol.PROMPT))) {
            TcpLoadResult result = TcpLoad.run(TcpLoadSettings.hold(server.address(), 5, Duration.ofMillis(100)),
                    quietConsole());

            assertEquals(5, result.prompted(), () -> result.lines().toString());
            assertEquals(0, result.served(), () -> result.lines().toString());
            assertEquals(5, result.errors(Problem.CLOSED_EARLY), () -> result.lines().toString());
            assertEquals(5, result.errors(), () -> result.lines().toString());
        }
    }

    @Test
    void aServerThatNeverAcceptsGivesTimeouts() throws Exception {
        try (ServerSocket silent = TinyServers.Tcp.neverAccepting()) {
            InetSocketAddress address = (InetSocketAddress) silent.getLocalSocketAddress();
            TcpLoadResult result = TcpLoad.run(TcpLoadSettings.closedLoop(address, 2, Duration.ofMillis(1500))
                    .withTimeout(Duration.ofMillis(100)), quietConsole());

            assertEquals(0, result.served(), () -> result.lines().toString());
            assertTrue(result.errors(Problem.TIMEOUT) > 0, () -> result.lines().toString());
        }
    }

    @Test
    void aServerThatResetsIsCountedAsReset() throws Exception {
        // Reads the ID, then aborts the connection (SO_LINGER 0 sends a reset instead of a normal close).
        try (TinyServers.Tcp server = new TinyServers.Tcp(client -> {
            client.getOutputStream().write(Protocol.PROMPT);
            readLine(client.getInputStream());
            client.setSoLinger(true, 0);
        })) {
            TcpLoadResult result = TcpLoad.run(TcpLoadSettings.closedLoop(server.address(), 2, RUN), quietConsole());

            assertTrue(result.errors(Problem.RESET) > 0, () -> result.lines().toString());
        }
    }

    @Test
    void nothingListeningIsRefusedAndExitsOne() throws Exception {
        int port;
        try (ServerSocket closedSoon = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closedSoon.getLocalPort();
        }
        CommandRun run = CommandRun.of("tcp-load", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--clients", "3", "--duration", "300ms");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("errors: ") && run.out().contains("refused"), run::toString);
        assertTrue(run.err().contains("Error: no conversation was completed"), run::toString);
    }

    @Test
    void theCommandPrintsItsSummaryOnStdoutAndJsonOnRequest() throws Exception {
        try (TcpServer server = TcpServer.start(TcpServer.Settings.of(loopback(0)), quietConsole())) {
            String port = String.valueOf(server.address().getPort());
            CommandRun text = CommandRun.of("tcp-load", "--host", "127.0.0.1", "--port", port,
                    "--clients", "5", "--duration", "300ms");
            CommandRun json = CommandRun.of("tcp-load", "--host", "127.0.0.1", "--port", port,
                    "--hold", "20", "--hold-for", "100ms", "--json");

            assertEquals(0, text.exitCode(), text::toString);
            assertTrue(text.out().contains("conversations: ") && text.out().contains("errors: none"), text::toString);
            assertEquals(0, json.exitCode(), json::toString);
            assertTrue(json.out().contains("\"event\":\"served\"") && json.out().contains("\"served\":\"20\""), json::toString);
            for (String line : json.out().split("\n")) {
                assertTrue(line.startsWith("{") && line.endsWith("}"), () -> "not a JSON line: " + line);
            }
        }
    }

    @Test
    void theRealJarRunsTheLoadAndExitsZero() throws Exception {
        try (TcpServer server = TcpServer.start(TcpServer.Settings.of(loopback(0)), quietConsole());
             JarProcess load = JarProcess.start("tcp-load", "--host", "127.0.0.1",
                     "--port", String.valueOf(server.address().getPort()), "--clients", "5", "--duration", "500ms")) {
            assertEquals(0, load.exitCode(Duration.ofSeconds(30)), load::stderr);
            assertTrue(load.stdout().contains("errors: none"), load::stdout);
        }
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertEquals(2, CommandRun.of("tcp-load", "--clients", "0").exitCode());
        assertEquals(2, CommandRun.of("tcp-load", "--hold", "1000000").exitCode());
        assertEquals(2, CommandRun.of("tcp-load", "--duration", "1h").exitCode());
    }

    @Test
    void explainIsForOneConversationNotForALoad() {
        for (String load : new String[] {"tcp-load", "udp-load"}) {
            CommandRun run = CommandRun.of(load, "--explain", "--port", "9");
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("--explain narrates one conversation"), run::toString);
        }
    }

    @Test
    void theLoadPackageDrivesServersOnlyThroughTheWire() throws IOException {
        // It must work against any server, so it may not borrow from ours: no import of lab.sockets.tcp or .udp.
        Path load = Paths.get("src/main/java/lab/sockets/load");
        try (Stream<Path> files = Files.list(load)) {
            List<String> offending = files.filter(file -> {
                try {
                    String source = Files.readString(file, UTF_8);
                    return source.contains("lab.sockets.tcp") || source.contains("lab.sockets.udp");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(Path::toString).collect(Collectors.toList());
            assertEquals(List.of(), offending);
        }
    }

    /** Reads up to the first newline or the end of stream, as the slides' server's recv does for a short ID. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.append((char) b);
        }
        return line.toString();
    }
}
