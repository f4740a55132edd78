package lab.sockets.web;

import lab.sockets.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --web} on the real program: the banner's address, the page it serves, and the option errors. */
@Timeout(60)
class WebCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern URL = Pattern.compile("live page: (http://\\S+)");
    private final HttpClient http = HttpClient.newHttpClient();

    private static URI pageOf(JarProcess process) throws InterruptedException {
        Matcher m = URL.matcher(process.awaitLine("live page: ", WAIT));
        assertTrue(m.find());
        return URI.create(m.group(1));
    }

    private String state(URI page) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(page.resolve("/state")).build(), HttpResponse.BodyHandlers.ofString(UTF_8)).body();
    }

    @Test
    void tcpServerPrintsThePageAddressAndShowsTheIds() throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--bind", "127.0.0.1", "--port", "0", "--web", "0")) {
            URI page = pageOf(server);
            assertTrue(page.toString().startsWith("http://127.0.0.1:"), page.toString());
            int port = server.awaitPort(WAIT);
            try (Socket student = new Socket(InetAddress.getLoopbackAddress(), port)) {
                student.getOutputStream().write("b08902001\n".getBytes(UTF_8));
                student.getInputStream().readAllBytes();
            }
            Page.await(() -> {
                try {
                    return state(page).contains("\"id\":\"B08902001\"");
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, "the ID on /state", WAIT);
            server.terminate();
            assertEquals(0, server.exitCode(WAIT));
        }
    }

    @Test
    void udpServerShowsSendersAndDrops() throws Exception {
        try (JarProcess server = JarProcess.start("udp-server", "--bind", "127.0.0.1", "--port", "0", "--web", "0",
                "--drop", "1", "--seed", "1");
             DatagramSocket first = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket second = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            URI page = pageOf(server);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.awaitPort(WAIT));
            byte[] hello = "Hello, World!".getBytes(UTF_8);
            first.send(new DatagramPacket(hello, hello.length, to));
            first.send(new DatagramPacket(hello, hello.length, to));
            second.send(new DatagramPacket(hello, hello.length, to));
            Page.await(() -> {
                try {
                    return Page.number(state(page), "dropped") == 3;
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, "3 replies dropped on /state", WAIT);
            String state = state(page);
            assertEquals(3, Page.number(state, "datagrams"), state);
            assertEquals(2, Page.number(state, "senders"), state);
            assertTrue(state.contains("{\"peer\":\"127.0.0.1:" + first.getLocalPort() + "\",\"datagrams\":2,\"dropped\":2}"), state);
            assertEquals(-1, Page.number(state, "connected"), "UDP has no connections");
            assertTrue(state.contains("\"server\":\"udp-server\""), state);
        }
    }

    @Test
    void demoKeepsItsPageUpUntilCtrlC() throws Exception {
        try (JarProcess demo = JarProcess.start("demo", "--web", "0")) {
            URI page = pageOf(demo);
            demo.awaitLine("The live page shows it all until Ctrl\\+C", WAIT);
            String state = state(page);
            assertTrue(state.contains("\"id\":\"B08902001\""), state);
            assertEquals(1, Page.number(state, "datagrams"), state);
            demo.terminate();
            assertEquals(0, demo.exitCode(WAIT));
        }
    }

    @Test
    void optionsAreChecked() throws Exception {
        try (JarProcess help = JarProcess.start("tcp-server", "--help")) {
            assertEquals(0, help.exitCode(WAIT));
            String text = help.stdout();
            assertTrue(text.contains("--web[=PORT]") && text.contains("(default 8080)")
                    && text.contains("--web-bind=ADDRESS") && text.contains("Default: 127.0.0.1")
                    && text.contains("--web-max=N") && text.contains("Default: 32"), text);
        }
        try (JarProcess none = JarProcess.start("tcp-server", "--port", "0", "--web", "0", "--web-max", "0")) {
            assertEquals(2, none.exitCode(WAIT));
            assertTrue(none.stderr().contains("--web-max"), none.stderr());
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             JarProcess clash = JarProcess.start("udp-server", "--port", "0", "--web", String.valueOf(taken.getLocalPort()))) {
            assertEquals(1, clash.exitCode(WAIT));
            assertEquals("Error: the live page (--web): port " + taken.getLocalPort()
                    + " is already in use (is another server running?)\n", clash.stderr());
        }
    }
}
