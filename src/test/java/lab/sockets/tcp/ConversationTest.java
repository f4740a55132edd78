package lab.sockets.tcp;

import lab.sockets.CapturedConsole;
import lab.sockets.Console;
import lab.sockets.Narration;
import lab.sockets.Protocol;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link Conversation} driven by hand, without a socket or an event loop: a fake {@link Conversation.Wire}
 * delivers what the test says the client sent, a fake {@link Conversation.Host} runs the roster's answer at
 * once, and the test plays the loop's clock by calling {@link Conversation#timeUp}.
 */
@Tag("fast")
@Timeout(10)
class ConversationTest {
    private final CapturedConsole console = new CapturedConsole();
    private final FakeLoop loop = new FakeLoop(console.console);

    @Test
    void aWholeExchangePromptIdAcknowledgementClose() {
        Conversation conversation = loop.accept();
        conversation.begin();
        assertEquals("What's your student ID?\n", loop.sent());

        loop.clientSends("b08902001\n");
        conversation.ready(true, false);
        assertEquals("What's your student ID?\nID received: B08902001\n", loop.sent());
        assertTrue(loop.closed, "closed after the acknowledgement");
        assertTrue(console.out().contains("ID B08902001 (ended by newline)"), console.out());
    }

    @Test
    void anIdSentInOnePieceWithoutNewlineEndsAtTheQuietPause() {
        Conversation conversation = loop.accept();
        conversation.begin();
        loop.clientSends("b08902001");
        conversation.ready(true, false);
        long pauseEnds = conversation.deadline();
        assertFalse(loop.closed);

        conversation.timeUp(pauseEnds);
        assertTrue(loop.sent().endsWith("ID received: B08902001\n"), loop.sent());
        assertTrue(console.out().contains("(ended by a 500 ms pause)"), console.out());
    }

    @Test
    void aKeyTypedAloneIsNeverEndedByThePauseOnlyByEnter() {
        Conversation conversation = loop.accept();
        conversation.begin();
        loop.clientSends("b");
        conversation.ready(true, false);
        long next = conversation.deadline();
        assertTrue(next - System.nanoTime() > Protocol.QUIET_PAUSE.toNanos(), "the next look is the idle timeout's");

        loop.clientSends("08902001\r\n");
        conversation.ready(true, false);
        assertTrue(loop.sent().endsWith("ID received: B08902001\n"), loop.sent());
    }

    @Test
    void aBrowserThatSpeaksFirstGetsAPageAndNoPrompt() {
        Conversation conversation = loop.accept();
        loop.clientSends("GET / HTTP/1.1\r\nHost: lectern\r\n\r\n");
        conversation.begin();
        assertTrue(loop.sent().startsWith("HTTP/1.0 200 OK\r\n"), loop.sent());
        assertFalse(loop.sent().contains("What's your student ID?"), loop.sent());
    }

    /** The event loop and the client's socket, played by the test. */
    private static final class FakeLoop implements Conversation.Host, Conversation.Wire {
        private final Console console;
        private final Narration narration;
        private final Reception reception;
        private final TcpServer.Settings settings = TcpServer.Settings.of(new InetSocketAddress(0));
        private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
        private final Queue<byte[]> fromClient = new ArrayDeque<>();
        private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
        boolean closed;

        FakeLoop(Console console) {
            this.console = console;
            this.narration = new Narration(console);
            this.reception = Reception.plain(console);
        }

        Conversation accept() {
            return new Conversation(this, this);
        }

        void clientSends(String text) {
            fromClient.add(text.getBytes(UTF_8));
        }

        String sent() {
            return toClient.toString(UTF_8);
        }

        @Override
        public Console console() {
            return console;
        }

        @Override
        public Narration narration() {
            return narration;
        }

        @Override
        public Reception reception() {
            return reception;
        }

        @Override
        public TcpServer.Settings settings() {
            return settings;
        }

        @Override
        public ByteBuffer readBuffer() {
            return readBuffer;
        }

        @Override
        public void wakeAt(long nanoTime) {
            // the test calls timeUp itself
        }

        @Override
        public void runLater(Runnable task) {
            task.run();
        }

        @Override
        public SocketAddress peer() {
            return new InetSocketAddress("127.0.0.1", 52814);
        }

        @Override
        public SocketAddress local() {
            return new InetSocketAddress("127.0.0.1", 65432);
        }

        @Override
        public int read(ByteBuffer into) {
            byte[] next = fromClient.poll();
            if (next == null) {
                return 0;
            }
            into.put(next);
            return next.length;
        }

        @Override
        public int write(ByteBuffer data) {
            int n = data.remaining();
            byte[] bytes = new byte[n];
            data.get(bytes);
            toClient.writeBytes(bytes);
            return n;
        }

        @Override
        public void shutdownOutput() {
            // nothing to send a FIN on
        }

        @Override
        public void interest(boolean read, boolean write) {
            // the test decides when the conversation is ready
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
