package lab.sockets;

import lab.sockets.tcp.IterativeServer;
import lab.sockets.tcp.TcpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slides' steps are worded once ({@link Narration}): both TCP servers narrate them with the same words. */
@Tag("fast")
@Timeout(30)
class NarrationTest {
    private static final Pattern EXPLAIN = Pattern.compile("\"python\":\"((?:[^\"\\\\]|\\\\.)*)\",\"java\":\"(?:[^\"\\\\]|\\\\.)*\","
            + "\"result\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void theIterativeAndTheDefaultServerNarrateTheirSharedStepsWithTheSameWords() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        CapturedConsole loop = new CapturedConsole(true, true);
        try (TcpServer server = TcpServer.start(TcpServer.Settings.of(loopback), loop.console)) {
            converse(server);
        }
        CapturedConsole iterative = new CapturedConsole(true, true);
        try (IterativeServer server = IterativeServer.start(TcpServer.Settings.of(loopback), iterative.console)) {
            converse(server);
            iterative.awaitOut("connection closed", Duration.ofSeconds(5));
        }
        Map<String, String> fromLoop = steps(loop.out());
        Map<String, String> fromIterative = steps(iterative.out());
        for (String step : new String[] {"s = socket.socket(AF_INET, SOCK_STREAM)", "s.bind((\\\"127.0.0.1\\\", 0))",
                "client.send(b\\\"What's your student ID?\\\\n\\\")", "client.recv(1000)", "student_id.upper().decode('utf-8')",
                "client.send(b\\\"ID received: \\\" + student_id + b\\\"\\\\n\\\")", "client.close()"}) {
            assertTrue(fromLoop.containsKey(step), step + " not narrated by the default server: " + fromLoop.keySet());
            assertEquals(fromLoop.get(step), fromIterative.get(step), step);
        }
    }

    /** Each narrated step's Python and its result, with ports (which differ from run to run) as N. */
    private static Map<String, String> steps(String jsonLines) {
        Map<String, String> steps = new LinkedHashMap<>();
        Matcher m = EXPLAIN.matcher(jsonLines);
        while (m.find()) {
            steps.putIfAbsent(m.group(1), m.group(2).replaceAll("\\d{4,}", "N"));
        }
        return steps;
    }

    private static void converse(Server server) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.address(), 5_000);
            socket.setSoTimeout(10_000);
            socket.getInputStream().readNBytes(Protocol.PROMPT.length);
            socket.getOutputStream().write("b08902001\n".getBytes(UTF_8));
            socket.getInputStream().readAllBytes();
        }
    }
}
