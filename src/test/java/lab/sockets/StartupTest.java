package lab.sockets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * What a client's start costs is decided by what it loads, and the JVM can list that:
 * {@code -Xlog:class+load}. These tests hold the start-up work of {@code udp-client}, paid on every run,
 * to what it needs (see {@link Command} and the README's Performance section): picocli reads no annotation
 * (each would make the JVM generate a proxy class), and no other command's classes are loaded.
 */
@Timeout(value = 60, unit = SECONDS, threadMode = SEPARATE_THREAD)
class StartupTest {
    private static final Duration EXIT = Duration.ofSeconds(30);

    @Test
    void udpClientLoadsOnlyItsOwnCommandAndReadsNoAnnotations(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("classes.log");
        try (DatagramSocket server = RawPeer.udp();
             JarProcess client = JarProcess.start(List.of("-Xlog:class+load=info:file=" + log),
                     "udp-client", "--host", "127.0.0.1", "--port", "" + server.getLocalPort(), "--msg", "hi")) {
            RawPeer.answerOne(server);   // as the slides' UDP server does
            assertEquals(0, client.exitCode(EXIT), client.stderr());
            assertTrue(client.stdout().contains("reply from 127.0.0.1:" + server.getLocalPort() + ": data received"),
                    client.stdout());
        }
        List<String> loaded = Files.readAllLines(log, UTF_8);
        assertTrue(loaded.stream().anyMatch(line -> line.contains(" lab.sockets.udp.UdpClientCommand ")),
                "the log lists the classes loaded: " + loaded.size() + " lines");
        assertEquals("", matching(loaded, "__dynamic_proxy__"), "annotation proxies: picocli read annotations");
        assertEquals("", matching(loaded, " lab.sockets.tcp."), "tcp classes loaded by udp-client");
        assertEquals("", matching(loaded, " lab.sockets.load."), "load generator classes loaded by udp-client");
    }

    private static String matching(List<String> lines, String text) {
        return lines.stream().filter(line -> line.contains(text)).collect(Collectors.joining("\n"));
    }
}
