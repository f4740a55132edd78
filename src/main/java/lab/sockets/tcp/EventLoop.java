package lab.sockets.tcp;

import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Narration;
import lab.sockets.Protocol;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One thread, one selector: waits for whichever of its sockets can make progress and makes it.
 * Conversations accepted by a loop stay on it, so a conversation is only ever touched by one thread.
 */
final class EventLoop implements Runnable, Conversation.Host {
    private final TcpServer server;
    final Selector selector;
    final Thread thread;
    /** Shared by this loop's conversations: each read is handled before the next one starts. */
    final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    /** Work handed to this loop by other threads (an ID made durable by the roster). */
    final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private SelectionKey acceptKey;
    private long nextTimerCheck = Long.MAX_VALUE;
    private long acceptPausedUntil;
    /** Conversations ended, their keys cancelled: closed once the selector has let go of them. */
    private final List<SocketChannel> closing = new ArrayList<>();
    /** {@link #ready}, made once: a method reference written in the loop would be a new object each turn. */
    private final Consumer<SelectionKey> onReady = this::ready;

    EventLoop(TcpServer server, int index) throws IOException {
        this.server = server;
        selector = Selector.open();
        thread = new Thread(this, "tcp-loop-" + index);
        thread.setDaemon(true);
    }

    @Override
    public void run() {
        try {
            acceptKey = server.listener.register(selector, SelectionKey.OP_ACCEPT);
            while (!server.lifecycle.stopping() || !finishedStopping()) {
                long timeout = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTimerCheck - System.nanoTime()) + 1);
                if (closing.isEmpty()) {
                    selector.select(onReady, server.lifecycle.stopping() ? 10 : Math.min(timeout, 60_000));
                } else {
                    selector.selectNow(onReady);
                }
                closeDeregistered();
                runTasks();
                if (System.nanoTime() - nextTimerCheck >= 0) {
                    checkTimers();
                }
                server.console.flush();
            }
        } catch (IOException | ClosedSelectorException e) {
            server.console.problem("error", null, "event loop failed: " + e);
        } finally {
            closeAll();
            server.lifecycle.threadDone();
        }
    }

    private void ready(SelectionKey key) {
        if (key == acceptKey) {
            acceptClients();
        } else {
            ((Conversation) key.attachment()).ready(key.isReadable(), key.isValid() && key.isWritable());
        }
    }

    /** The slides' {@code client, address = s.accept()}, for every client waiting in the backlog. */
    private void acceptClients() {
        for (int i = 0; i < TcpServer.ACCEPTS_PER_WAKEUP && !server.lifecycle.stopping(); i++) {
            SocketChannel channel;
            try {
                channel = server.listener.accept();
            } catch (IOException e) {
                if (!server.lifecycle.stopping()) {   // closing the server.listener to stop makes accept() fail too: not a problem
                    pauseAccepting(e);
                }
                return;
            }
            if (channel == null) {
                return;   // another loop took it, or the backlog is empty
            }
            if (server.acceptStarved.compareAndSet(true, false)) {
                server.console.problem("accept-resumed", null, "accept() works again: accepting new connections");
            }
            if (server.clients.incrementAndGet() > server.settings.limits().maxClients()) {
                server.clients.decrementAndGet();
                server.reception.refusedBusy();
                refuseBusy(channel);
            } else {
                server.reception.connected();
                begin(channel);
            }
        }
    }

    /**
     * accept() failed, most likely with EMFILE: no file descriptor left for the new socket. The client
     * stays in the backlog and the listening socket stays readable, so accepting again at once would
     * spin; stop watching it for a moment and let finished conversations give descriptors back.
     */
    private void pauseAccepting(IOException e) {
        if (server.acceptStarved.compareAndSet(false, true)) {
            server.console.problem("accept-paused", null, "accept() failed: " + Errno.describe(e)
                    + "; new connections wait in the backlog, retrying every " + TcpServer.ACCEPT_BACKOFF.toMillis() + " ms");
        }
        acceptKey.interestOps(0);
        acceptPausedUntil = System.nanoTime() + TcpServer.ACCEPT_BACKOFF.toNanos();
        wakeAt(acceptPausedUntil);
    }

    /** A client was just accepted: its socket non-blocking and watched by this loop, its conversation begun. */
    private void begin(SocketChannel channel) {
        Connection connection;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);   // our lines are small and final
            connection = new Connection(this, channel, channel.getRemoteAddress());
        } catch (IOException e) {
            // gone between accept() and now (reset): nothing was said, nothing to log
            server.clients.decrementAndGet();
            TcpServer.closeQuietly(channel);
            return;
        }
        connection.conversation.begin();
    }

    @Override
    public Console console() {
        return server.console;
    }

    @Override
    public Narration narration() {
        return server.narration;
    }

    @Override
    public Reception reception() {
        return server.reception;
    }

    @Override
    public TcpServer.Settings settings() {
        return server.settings;
    }

    @Override
    public ByteBuffer readBuffer() {
        return readBuffer;
    }

    @Override
    public void runLater(Runnable task) {
        execute(task);
    }

    private void refuseBusy(SocketChannel channel) {
        try (channel) {
            int max = server.settings.limits().maxClients();
            server.console.event("busy", channel.getRemoteAddress(), "refused: server busy (" + max
                    + (max == 1 ? " client" : " clients") + " connected, --max-clients)");
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(Protocol.BUSY));   // best effort: fits in any empty send buffer
        } catch (IOException ignored) {
            // the client is gone already: nothing to tell it
        }
    }

    /** Asks the loop to check timers no later than {@code nanoTime}. */
    @Override
    public void wakeAt(long nanoTime) {
        if (nanoTime - nextTimerCheck < 0) {
            nextTimerCheck = nanoTime;
        }
    }

    /** Runs {@code task} on this loop's thread: now if called from it, else as soon as the loop wakes. */
    void execute(Runnable task) {
        if (Thread.currentThread() == thread) {
            task.run();
        } else {
            tasks.add(task);
            selector.wakeup();
        }
    }

    /**
     * The slides' {@code client.close()}, for a conversation whose key is cancelled. Closing a channel the
     * selector still holds makes the JDK ask for SO_LINGER and shut the socket down once more, two system
     * calls of the 17 or so a conversation costs; the next select() lets go of it, and then it is closed.
     */
    void close(SocketChannel channel) {
        closing.add(channel);
    }

    private void closeDeregistered() {
        closing.removeIf(channel -> {
            if (channel.isRegistered()) {
                return false;   // cancelled during this select(): the next one lets go of it
            }
            TcpServer.closeQuietly(channel);
            return true;
        });
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
        }
    }

    /** Ends the conversations whose time is up, and finds when to look again. */
    private void checkTimers() {
        long now = System.nanoTime();
        nextTimerCheck = now + TimeUnit.SECONDS.toNanos(60);
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            if (acceptKey.isValid() && !server.lifecycle.stopping()) {
                acceptKey.interestOps(SelectionKey.OP_ACCEPT);
            }
        } else if (acceptPausedUntil != 0) {
            wakeAt(acceptPausedUntil);
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Conversation) {
                Conversation conversation = (Conversation) key.attachment();
                long deadline = conversation.deadline();
                if (now - deadline >= 0) {
                    conversation.timeUp(now);
                } else {
                    wakeAt(deadline);
                }
            }
        }
    }

    /** While stopping: stop accepting; done once no conversation is left, or the grace period is over. */
    private boolean finishedStopping() {
        if (acceptKey != null && acceptKey.isValid()) {
            acceptKey.cancel();
        }
        runTasks();
        boolean anyLeft = false;
        for (SelectionKey key : selector.keys()) {
            anyLeft |= key.isValid() && key.attachment() instanceof Conversation;
        }
        return !anyLeft || server.lifecycle.graceOver();
    }

    private void closeAll() {
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Conversation) {
                    ((Conversation) key.attachment()).abandon("server shutting down");
                }
            }
            selector.close();
        } catch (IOException | ClosedSelectorException ignored) {
            // closing anyway
        }
        closing.forEach(TcpServer::closeQuietly);
        closing.clear();
        server.console.flush();
    }

    /**
     * A client's socket as its {@link Conversation} sees it: non-blocking reads and writes, the selector's
     * interest, and the close that gives the client's place back. The server's count of clients goes up
     * at accept and down here, nowhere else.
     */
    private static final class Connection implements Conversation.Wire {
        private final EventLoop loop;
        private final SocketChannel channel;
        private final SocketAddress peer;
        private final SelectionKey key;
        final Conversation conversation;

        Connection(EventLoop loop, SocketChannel channel, SocketAddress peer) throws IOException {
            this.loop = loop;
            this.channel = channel;
            this.peer = peer;
            this.conversation = new Conversation(loop, this);
            this.key = channel.register(loop.selector, SelectionKey.OP_READ, conversation);
        }

        @Override
        public SocketAddress peer() {
            return peer;
        }

        @Override
        public SocketAddress local() {
            try {
                return channel.getLocalAddress();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public int read(ByteBuffer into) throws IOException {
            return channel.read(into);
        }

        @Override
        public int write(ByteBuffer data) throws IOException {
            return channel.write(data);
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public void interest(boolean read, boolean write) {
            if (key.isValid()) {
                key.interestOps((read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0));
            }
        }

        @Override
        public void close() {
            key.cancel();
            loop.close(channel);
            loop.server.clients.decrementAndGet();
        }
    }
}
