package lab.sockets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * INADDR_ANY for real: two network namespaces joined by a veth pair, like the TA's machine and a
 * student's on one LAN. A server started with the default bind in one is reached from the other by the
 * veth address; started with {@code --bind 127.0.0.1} it is not, while it still answers on its own
 * loopback. Needs root and {@code ip}; where namespaces cannot be created, every test is skipped with
 * the reason. The namespaces are named after this JVM's PID and always deleted.
 */
class NetnsTest {
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration CLIENT = Duration.ofSeconds(30);

    private static final long PID = ProcessHandle.current().pid();
    private static final String SERVER_NS = "sockets-srv-" + PID;
    private static final String CLIENT_NS = "sockets-cli-" + PID;
    private static final String SERVER_VETH = "sks" + PID;   // interface names have at most 15 characters
    private static final String CLIENT_VETH = "skc" + PID;
    private static final String SUBNET = "10.200." + (PID % 250 + 1);
    private static final String SERVER_ADDRESS = SUBNET + ".1";
    private static final String CLIENT_ADDRESS = SUBNET + ".2";

    private static String cannotCreate;

    @BeforeAll
    static void createNamespaces() throws InterruptedException {
        try {
            ip("netns", "add", SERVER_NS);
            ip("netns", "add", CLIENT_NS);
            ip("link", "add", SERVER_VETH, "type", "veth", "peer", "name", CLIENT_VETH);
            ip("link", "set", SERVER_VETH, "netns", SERVER_NS);
            ip("link", "set", CLIENT_VETH, "netns", CLIENT_NS);
            ip("-n", SERVER_NS, "addr", "add", SERVER_ADDRESS + "/24", "dev", SERVER_VETH);
            ip("-n", CLIENT_NS, "addr", "add", CLIENT_ADDRESS + "/24", "dev", CLIENT_VETH);
            for (String[] nsDev : new String[][] {{SERVER_NS, SERVER_VETH}, {CLIENT_NS, CLIENT_VETH},
                    {SERVER_NS, "lo"}, {CLIENT_NS, "lo"}}) {
                ip("-n", nsDev[0], "link", "set", nsDev[1], "up");
            }
        } catch (IOException e) {
            cannotCreate = "cannot create network namespaces here (needs root and iproute2's `ip`): " + e.getMessage();
            System.err.println("NetnsTest skipped: " + cannotCreate);
        }
    }

    @AfterAll
    static void deleteNamespaces() throws InterruptedException {
        // deleting a namespace deletes the veth end inside it, and with it the pair
        for (String ns : List.of(SERVER_NS, CLIENT_NS)) {
            try {
                ip("netns", "del", ns);
            } catch (IOException notThere) {
                // never created, or creation failed half-way
            }
        }
        try {
            ip("link", "del", SERVER_VETH);   // only still here if it was never moved into its namespace
        } catch (IOException notThere) {
            // the usual case
        }
    }

    @BeforeEach
    void requireNamespaces() {
        assumeTrue(cannotCreate == null, cannotCreate);
    }

    /** What the TCP and the UDP lab differ in here: the commands, what the client sends, and what each side shows. */
    enum Lab {
        TCP("tcp-server", "tcp-client", List.of("--id", "b08902001"), "server: ID received: B08902001",
                "\\d+  ID B08902001 "),
        UDP("udp-server", "udp-client", List.of("--msg", "hello"), "data received", "\\d+  received 5 bytes: hello");

        final String server;
        final String client;
        final List<String> message;
        final String reply;
        final String logged;

        Lab(String server, String client, List<String> message, String reply, String logged) {
            this.server = server;
            this.client = client;
            this.message = message;
            this.reply = reply;
            this.logged = logged;
        }

        /** The client's command line to {@code host}, {@code port}, then {@code more} options. */
        String[] client(String host, int port, String... more) {
            List<String> args = new ArrayList<>(List.of(client, "--host", host, "--port", String.valueOf(port)));
            args.addAll(message);
            args.addAll(List.of(more));
            return args.toArray(new String[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(Lab.class)
    @Timeout(90)
    void aServerOnAllInterfacesIsReachedFromTheOtherNamespace(Lab lab) throws Exception {
        try (JarProcess server = inNamespace(SERVER_NS, lab.server, "--port", "0")) {
            int port = portOf(server);
            server.awaitLine("students can (connect|send) to: .*" + Pattern.quote(SERVER_ADDRESS + " port " + port), STARTUP);
            try (JarProcess client = inNamespace(CLIENT_NS, lab.client(SERVER_ADDRESS, port))) {
                assertEquals(0, client.exitCode(CLIENT), lab.client + " exit code; stderr:\n" + client.stderr());
                assertTrue(client.stdout().contains(lab.reply), client.stdout());
            }
            server.awaitLine(Pattern.quote(CLIENT_ADDRESS + ":") + lab.logged, STARTUP);
        }
    }

    @Test
    @Timeout(90)
    void tcpServerBoundToLoopbackIsRefusedFromTheOtherNamespace() throws Exception {
        try (JarProcess server = inNamespace(SERVER_NS, "tcp-server", "--port", "0", "--bind", "127.0.0.1")) {
            int port = portOf(server);
            try (JarProcess client = inNamespace(CLIENT_NS, Lab.TCP.client(SERVER_ADDRESS, port, "--timeout", "3s"))) {
                assertEquals(1, client.exitCode(CLIENT), "tcp-client exit code; stdout:\n" + client.stdout());
                assertTrue(client.stderr().contains("ECONNREFUSED"), "connection refused: " + client.stderr());
            }
            assertServesOnlyItsOwnLoopback(Lab.TCP, server, port);
        }
    }

    @Test
    @Timeout(90)
    void udpServerBoundToLoopbackDoesNotAnswerTheOtherNamespace() throws Exception {
        try (JarProcess server = inNamespace(SERVER_NS, "udp-server", "--port", "0", "--bind", "127.0.0.1")) {
            int port = portOf(server);
            try (JarProcess client = inNamespace(CLIENT_NS, Lab.UDP.client(SERVER_ADDRESS, port, "--timeout", "500ms",
                    "--retries", "1"))) {
                assertEquals(1, client.exitCode(CLIENT), "udp-client exit code; stdout:\n" + client.stdout());
                assertFalse(client.stdout().contains("data received"), client.stdout());
                assertTrue(client.stderr().startsWith("Error: "), client.stderr());
            }
            assertServesOnlyItsOwnLoopback(Lab.UDP, server, port);
        }
    }

    /** The server is alive and serving on its own loopback, and was never reached from the client's namespace. */
    private static void assertServesOnlyItsOwnLoopback(Lab lab, JarProcess server, int port) throws Exception {
        try (JarProcess local = inNamespace(SERVER_NS, lab.client("127.0.0.1", port))) {
            assertEquals(0, local.exitCode(CLIENT), lab.client + " on the server's loopback; stderr:\n" + local.stderr());
            assertTrue(local.stdout().contains(lab.reply), local.stdout());
        }
        assertFalse(server.stdout().contains(CLIENT_ADDRESS), "reached from the other namespace:\n" + server.stdout());
    }

    /** The port from the server's banner; if none comes, the failure shows what {@code ip netns exec} said. */
    private static int portOf(JarProcess server) throws InterruptedException {
        try {
            return server.awaitPort(STARTUP);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nstderr:\n" + server.stderr(), e);
        }
    }

    /** {@code ip netns exec NS java -jar sockets.jar args...}: {@code ip} execs java, so the PID is java's. */
    private static JarProcess inNamespace(String ns, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JarProcess.jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return JarProcess.command(command);
    }

    /** Runs {@code ip args...}; an {@link IOException} with its error output if it fails or is missing. */
    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process ip = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(ip.getInputStream().readAllBytes(), UTF_8).trim();
        if (!ip.waitFor(20, TimeUnit.SECONDS)) {
            ip.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        if (ip.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
