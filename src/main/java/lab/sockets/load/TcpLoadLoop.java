package lab.sockets.load;

import lab.sockets.Console;
import lab.sockets.load.TcpLoadClient.Stage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One thread's share of the clients: a {@link Selector} (epoll) driving their non-blocking sockets, as the
 * server's event loops do, so that a few threads run thousands of clients. Everything a client holds is only
 * touched by this thread; what the coordinator reads while it runs (the stats' live counts, the phase
 * latches) is atomic, and the rest of the stats once the thread has ended.
 */
final class TcpLoadLoop implements Runnable, TcpLoadClient.Driver {
    /** What the clients should be doing now: set by {@link TcpLoad}, read by this loop. */
    enum Phase { CONNECT, ANSWER, STOP }

    /** How often the loop looks for clients whose time is up. */
    private static final long TIMER_TICK_MILLIS = 50;

    private final Selector selector = Selector.open();
    private final List<TcpLoadClient> clients = new ArrayList<>();
    private final Console progress;
    /** Counted down by every loop when it ends, well or not. */
    private final CountDownLatch ended;
    private volatile Phase phase = Phase.CONNECT;
    private Phase seen = Phase.CONNECT;

    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(4096);
    private final TcpLoadStats stats = new TcpLoadStats();

    /** Hold mode: counted down once every client of this loop has settled the phase. */
    final CountDownLatch settled = new CountDownLatch(1);
    final CountDownLatch answered = new CountDownLatch(1);
    private int unsettled;
    /** Hold mode: when the last client of this loop settled the phase under way. */
    volatile long lastSettled;

    TcpLoadLoop(Console progress, CountDownLatch ended) throws IOException {
        this.progress = progress;
        this.ended = ended;
    }

    void add(TcpLoadClient client) {
        clients.add(client);
    }

    /** Called by {@link TcpLoad}'s thread: the clients move on to {@code next} at the loop's next turn. */
    void enter(Phase next) {
        phase = next;
        selector.wakeup();
    }

    @Override
    public boolean stopping() {
        return phase == Phase.STOP;
    }

    @Override
    public SelectionKey register(SocketChannel channel, int ops, TcpLoadClient client) throws IOException {
        return channel.register(selector, ops, client);
    }

    @Override
    public ByteBuffer readBuffer() {
        return readBuffer;
    }

    @Override
    public TcpLoadStats stats() {
        return stats;
    }

    @Override
    public void run() {
        try {
            long now = System.nanoTime();
            lastSettled = now;
            unsettled = clients.size();
            for (TcpLoadClient client : clients) {
                client.connect(now);
            }
            long nextTick = now;
            while (phase != Phase.STOP) {
                selector.select(key -> ((TcpLoadClient) key.attachment()).ready(key), TIMER_TICK_MILLIS);
                if (phase != seen) {
                    seen = phase;
                    if (phase == Phase.ANSWER) {
                        answerAll();
                    }
                }
                now = System.nanoTime();
                if (now - nextTick >= 0) {
                    nextTick = now + TimeUnit.MILLISECONDS.toNanos(TIMER_TICK_MILLIS);
                    for (TcpLoadClient client : clients) {
                        client.checkTime(now);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            progress.problem("error", null, "load thread failed: " + e);
        } finally {
            closeAll();
            settled.countDown();    // nobody waits for a phase on a loop that is gone
            answered.countDown();
            ended.countDown();
        }
    }

    /** Hold mode, phase 3: every client still holding its connection sends its ID now. */
    private void answerAll() {
        long now = System.nanoTime();
        lastSettled = now;
        unsettled = 0;
        for (TcpLoadClient client : clients) {
            boolean holding = client.stage() == Stage.HELD;   // a straggler of phase 1 no longer counts
            client.pending(holding);
            if (holding) {
                unsettled++;
            }
        }
        if (unsettled == 0) {
            answered.countDown();
        }
        for (TcpLoadClient client : clients) {
            if (client.stage() == Stage.HELD) {
                client.sendId(now);
            }
        }
    }

    @Override
    public void settle(TcpLoadClient client, long now) {
        if (!client.settle()) {
            return;   // it settled this phase already (a held client the server closed during the hold)
        }
        lastSettled = now;
        if (--unsettled == 0) {
            (seen == Phase.ANSWER ? answered : settled).countDown();
        }
    }

    /** The run is over: who was still waiting goes into the stats, then every socket is closed. */
    private void closeAll() {
        long now = System.nanoTime();
        for (TcpLoadClient client : clients) {
            if (client.stage().waiting != null) {
                stats.stillWaiting(client.stage().waiting, now - client.started());
            }
            client.close();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // the sockets are closed already
        }
    }
}
