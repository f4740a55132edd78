package lab.sockets;

import lab.sockets.tcp.TcpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCP server in-process, on loopback port 0, through real sockets. */
@Tag("fast")
@Timeout(30)
class TcpServerTest {
    private final CapturedConsole console = new CapturedConsole();
    private TcpServer server;

    @BeforeEach
    void start() throws IOException {
        server = TcpServer.start(TcpServer.Settings.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withIdleTimeout(Duration.ofSeconds(20)), console.console);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void conversationIsByteExact() throws IOException {
        try (Socket socket = connect()) {
            assertEquals("What's your student ID?\n", readExactly(socket.getInputStream(), Protocol.PROMPT.length));
            socket.getOutputStream().write("b08902001\n".getBytes(UTF_8));
            assertEquals("ID received: B08902001\n", readAll(socket.getInputStream()));
        }
        assertTrue(console.out().contains("ID B08902001 (ended by newline)"), console.out());
    }

    @Test
    void slidesClientSendsNoNewlineAndCloses() throws IOException {
        try (Socket socket = connect()) {
            readExactly(socket.getInputStream(), Protocol.PROMPT.length);
            socket.getOutputStream().write("b08902001".getBytes(UTF_8));
            socket.shutdownOutput();
            assertEquals("ID received: B08902001\n", readAll(socket.getInputStream()));
        }
    }

    @Test
    void clientThatSendsNoNewlineAndWaitsIsServedAfterTheQuietPause() throws Exception {
        try (Socket socket = connect()) {
            readExactly(socket.getInputStream(), Protocol.PROMPT.length);
            socket.getOutputStream().write("b08902001".getBytes(UTF_8));
            assertEquals("ID received: B08902001\n", readAll(socket.getInputStream()));
        }
        console.awaitOut("ID B08902001 (ended by a 500 ms pause)", Duration.ofSeconds(5));
    }

    @Test
    void idSentInPiecesIsReadWhole() throws Exception {
        try (Socket socket = connect()) {
            socket.setTcpNoDelay(true);
            readExactly(socket.getInputStream(), Protocol.PROMPT.length);
            OutputStream out = socket.getOutputStream();
            for (byte b : "b08902001\n".getBytes(UTF_8)) {
                out.write(b);
                out.flush();
            }
            assertEquals("ID received: B08902001\n", readAll(socket.getInputStream()));
        }
    }

    @Test
    void fiftyClientsAreServedWhileOneSilentClientHoldsItsConnection() throws Exception {
        try (Socket silent = connect()) {
            readExactly(silent.getInputStream(), Protocol.PROMPT.length);
            ExecutorService pool = Executors.newFixedThreadPool(50);
            try {
                List<Future<String>> replies = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String id = "b" + (8902000 + i);
                    replies.add(pool.submit(converse(id)));
                }
                for (int i = 0; i < 50; i++) {
                    assertEquals("ID received: B" + (8902000 + i) + "\n", replies.get(i).get());
                }
            } finally {
                pool.shutdownNow();
            }
            // the silent client is still connected and still gets served when it speaks
            silent.getOutputStream().write("late\n".getBytes(UTF_8));
            assertEquals("ID received: LATE\n", readAll(silent.getInputStream()));
        }
    }

    @Test
    void silentClientIsClosedAfterTheIdleTimeout() throws Exception {
        server.close();
        server = TcpServer.start(TcpServer.Settings.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withIdleTimeout(Duration.ofMillis(300)), console.console);
        try (Socket socket = connect()) {
            readExactly(socket.getInputStream(), Protocol.PROMPT.length);
            assertEquals("", readAll(socket.getInputStream()), "closed without a word");
        }
        console.awaitOut("closed: silent for 300ms (idle timeout)", Duration.ofSeconds(5));
    }

    @Test
    void controlBytesNeverReachTheConsoleRaw() throws Exception {
        try (Socket socket = connect()) {
            readExactly(socket.getInputStream(), Protocol.PROMPT.length);
            socket.getOutputStream().write(new byte[] {'i', 0x1b, '[', '2', 'J', 0, 7, (byte) 0xff, '\r', '\n'});
            assertEquals("ID received: I\u001b[2J\u0000\u0007\ufffd\n",
                    new String(readAll(socket.getInputStream()).getBytes(UTF_8), UTF_8));
        }
        String out = console.awaitOut("ID I\\x1b[2J\\x00\\x07\\xff (ended by newline)", Duration.ofSeconds(5));
        assertFalse(out.chars().anyMatch(c -> c < 0x20 && c != '\n'), out);
    }

    @Test
    void clientThatLeavesWithoutAnIdIsLoggedAndForgotten() throws Exception {
        try (Socket socket = connect()) {
            readExactly(socket.getInputStream(), Protocol.PROMPT.length);
        }
        console.awaitOut("left without sending an ID", Duration.ofSeconds(5));
        try (Socket socket = connect()) {
            readExactly(socket.getInputStream(), Protocol.PROMPT.length);
            socket.getOutputStream().write("next\n".getBytes(UTF_8));
            assertEquals("ID received: NEXT\n", readAll(socket.getInputStream()));
        }
    }

    private Callable<String> converse(String id) {
        return () -> {
            try (Socket socket = connect()) {
                readExactly(socket.getInputStream(), Protocol.PROMPT.length);
                socket.getOutputStream().write((id + "\n").getBytes(UTF_8));
                return readAll(socket.getInputStream());
            }
        };
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.address().getPort()), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    static String readExactly(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), UTF_8);
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(UTF_8);
    }
}
