package lab.sockets;

import lab.sockets.tcp.TcpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.nio.charset.StandardCharsets.UTF_8;
import static lab.sockets.RawPeer.bytes;
import static lab.sockets.RawPeer.show;
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
                .withLimits(TcpServer.Limits.DEFAULT.withIdleTimeout(Duration.ofSeconds(20))), console.console);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void conversationIsByteExact() throws IOException {
        try (RawPeer client = connect()) {
            assertEquals(show(bytes("What's your student ID?\n")), show(client.readExactly(Protocol.PROMPT.length)));
            client.send("b08902001\n");
            assertEquals(show(bytes("ID received: B08902001\n")), show(client.readAll()));
        }
        assertTrue(console.out().contains("ID B08902001 (ended by newline)"), console.out());
    }

    @Test
    void slidesClientSendsNoNewlineAndCloses() throws IOException {
        try (RawPeer client = connect()) {
            client.expectPrompt().send("b08902001").shutdownOutput();
            assertEquals(show(bytes("ID received: B08902001\n")), show(client.readAll()));
        }
    }

    @Test
    void clientThatSendsNoNewlineAndWaitsIsServedAfterTheQuietPause() throws Exception {
        try (RawPeer client = connect()) {
            client.expectPrompt().send("b08902001");
            assertEquals(show(bytes("ID received: B08902001\n")), show(client.readAll()));
        }
        console.awaitOut("ID B08902001 (ended by a 500 ms pause)", Duration.ofSeconds(5));
    }

    @Test
    void idSentInPiecesIsReadWhole() throws Exception {
        try (RawPeer client = connect()) {
            client.socket.setTcpNoDelay(true);
            client.expectPrompt();
            for (byte b : bytes("b08902001\n")) {
                client.send(new byte[] {b});
            }
            assertEquals(show(bytes("ID received: B08902001\n")), show(client.readAll()));
        }
    }

    @Test
    void fiftyClientsAreServedWhileOneSilentClientHoldsItsConnection() throws Exception {
        try (RawPeer silent = connect()) {
            silent.expectPrompt();
            ExecutorService pool = Executors.newFixedThreadPool(50);
            try {
                List<Future<String>> replies = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String id = "b" + (8902000 + i);
                    replies.add(pool.submit(() -> converse(id)));
                }
                for (int i = 0; i < 50; i++) {
                    assertEquals("ID received: B" + (8902000 + i) + "\n", replies.get(i).get());
                }
            } finally {
                pool.shutdownNow();
            }
            // the silent client is still connected and still gets served when it speaks
            silent.send("late\n");
            assertEquals(show(bytes("ID received: LATE\n")), show(silent.readAll()));
        }
    }

    @Test
    void silentClientIsClosedAfterTheIdleTimeout() throws Exception {
        server.close();
        server = TcpServer.start(TcpServer.Settings.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withLimits(TcpServer.Limits.DEFAULT.withIdleTimeout(Duration.ofMillis(300))), console.console);
        try (RawPeer client = connect()) {
            client.expectPrompt();
            assertEquals(show(new byte[0]), show(client.readAll()), "closed without a word");
        }
        console.awaitOut("closed: silent for 300ms (idle timeout)", Duration.ofSeconds(5));
    }

    @Test
    void controlBytesNeverReachTheConsoleRaw() throws Exception {
        byte[] id = {'i', 0x1b, '[', '2', 'J', 0, 7, (byte) 0xff};
        try (RawPeer client = connect()) {
            client.expectPrompt().send(concat(id, bytes("\r\n")));
            assertEquals(show(RawPeer.ackFor(id)), show(client.readAll()), "the ID's own bytes, upper-cased");
        }
        String out = console.awaitOut("ID I\\x1b[2J\\x00\\x07\\xff (ended by newline)", Duration.ofSeconds(5));
        assertFalse(out.chars().anyMatch(c -> c < 0x20 && c != '\n'), out);
    }

    @Test
    void clientThatLeavesWithoutAnIdIsLoggedAndForgotten() throws Exception {
        try (RawPeer client = connect()) {
            client.expectPrompt();
        }
        console.awaitOut("left without sending an ID", Duration.ofSeconds(5));
        assertEquals("ID received: NEXT\n", converse("next"));
    }

    /** One whole conversation; returns what the server answered to {@code id}. */
    private String converse(String id) throws IOException {
        try (RawPeer client = connect()) {
            client.expectPrompt().send(id + "\n");
            return new String(client.readAll(), UTF_8);
        }
    }

    private RawPeer connect() throws IOException {
        return RawPeer.connect(server.address().getPort());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
