package lab.sockets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;
import static lab.sockets.RawPeer.bytes;
import static lab.sockets.RawPeer.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code scripts/sockets}, the launcher: runs the built jar from any directory, also through symlinks. */
@Timeout(value = 60, unit = SECONDS, threadMode = SEPARATE_THREAD)
class LauncherTest {
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final Duration LINE = Duration.ofSeconds(20);
    private static final Path LAUNCHER = Paths.get("scripts", "sockets").toAbsolutePath();

    @Test
    void runsTheJarFromAnotherDirectoryThroughAChainOfSymlinks(@TempDir Path elsewhere) throws Exception {
        // ~/bin/sockets -> links/sockets -> .../scripts/sockets: one absolute link, one relative
        Files.createDirectories(elsewhere.resolve("bin"));
        Files.createDirectories(elsewhere.resolve("links"));
        Files.createSymbolicLink(elsewhere.resolve("links/sockets"), LAUNCHER);
        Files.createSymbolicLink(elsewhere.resolve("bin/sockets"), Paths.get("../links/sockets"));
        try (DatagramSocket server = RawPeer.udp();
             JarProcess client = JarProcess.command(List.of("bin/sockets", "udp-client", "--msg", "hi",
                     "--port", "" + server.getLocalPort()), elsewhere)) {
            assertEquals(show(bytes("hi")), show(RawPeer.answerOne(server)));
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            client.awaitLine("reply from 127\\.0\\.0\\.1:" + server.getLocalPort() + ": data received$", LINE);
        }
    }

    @Test
    void saysHowToBuildTheJarWhenItIsMissing(@TempDir Path checkout) throws Exception {
        // a fresh clone: scripts/ is there, target/ is not
        Path launcher = Files.createDirectories(checkout.resolve("scripts")).resolve("sockets");
        Files.copy(LAUNCHER, launcher);
        try (JarProcess missing = JarProcess.command(List.of(launcher.toString(), "--help"), checkout)) {
            assertEquals(1, missing.exitCode(EXIT));
            String root = checkout.toRealPath().toString();
            assertEquals("Error: " + root + "/target/sockets.jar is missing: build it first with: cd '" + root
                    + "' && mvn -B package -DskipTests\n", missing.stderr());
            assertEquals("", missing.stdout());
        }
    }

    @Test
    void aServerStartedThroughTheLauncherStopsOnSigtermWithExit0() throws Exception {
        // the launcher execs java: the signal reaches the server itself, not a shell that would die with 143
        try (JarProcess server = JarProcess.command(List.of(LAUNCHER.toString(), "udp-server", "--bind", "127.0.0.1",
                "--port", "0"))) {
            RawPeer.assertUdpServed(server.awaitPort(LINE));   // serving: up and running, not just starting
            server.terminate();
            assertEquals(0, server.exitCode(EXIT), server.stderr());
            server.awaitLine("  stopped$", LINE);
            assertTrue(server.stderr().isEmpty(), server.stderr());
        }
    }
}
