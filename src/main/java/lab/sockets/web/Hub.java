package lab.sockets.web;

import lab.sockets.ClassList;
import lab.sockets.Console;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Between the server and the pages. The server's threads only {@link #accept} events into a bounded queue,
 * which never waits; this hub's own thread takes them from there, counts them ({@link Tally}), and streams
 * them to the open pages, each of which has a bounded queue of its own ({@link Subscriber}). Once a second
 * it sends every page a tick: the counts, the rates, who is connected. So a slow page, or a flood of
 * events, costs the server nothing but the offer: when the hub falls behind, events are counted as lost.
 */
final class Hub implements Consumer<Console.Event> {
    /** Events waiting for the hub; beyond these the server does not wait, the event is counted as lost. */
    static final int QUEUE = 65_536;
    /**
     * Events streamed to the pages each second at most; the rest are counted in the ticks and in
     * {@code /state} but not sent one by one, so that a load test costs the browser, which runs on the
     * lectern machine beside the server, little CPU. A lab class whose every student answers within the same
     * second still fits, and the page's lists keep no more rows than this anyway.
     */
    static final int STREAMED_PER_SECOND = 50;
    static final long TICK_MILLIS = 1000;
    /**
     * How often the hub looks for events. It does not wait on the queue: a waiting thread would have to be
     * woken for each event, a system call on the server's thread every time; looking every 10 ms costs the
     * server nothing and the page at most 10 ms.
     */
    static final long DRAIN_MILLIS = 10;

    private final BlockingQueue<Console.Event> events = new ArrayBlockingQueue<>(QUEUE);
    private final Tally tally;
    private final int maxSubscribers;
    private final int streamedPerSecond;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();   // streams whose HTTP thread has not ended yet
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong droppedSubscribers = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;
    private long notStreamed;
    private long streamedSecond;
    private int streamedThisSecond;

    Hub(String server, ClassList expected, int maxSubscribers, int streamedPerSecond) {
        this.tally = new Tally(server, expected);
        this.maxSubscribers = maxSubscribers;
        this.streamedPerSecond = streamedPerSecond;
        this.thread = new Thread(this::run, "web-hub");
        thread.setDaemon(true);
    }

    Tally tally() {
        return tally;
    }

    void start() {
        thread.start();
    }

    /** The console's tap, on the server's thread: offer, never wait. */
    @Override
    public void accept(Console.Event event) {
        if (!events.offer(event)) {
            lost.incrementAndGet();
        }
    }

    /** A new page's stream, or {@code null} when {@code --web-max} pages are open already. */
    Subscriber subscribe() {
        if (open.incrementAndGet() > maxSubscribers) {
            open.decrementAndGet();
            return null;
        }
        Subscriber subscriber = new Subscriber();
        subscribers.add(subscriber);
        return subscriber;
    }

    /** The page's HTTP thread has ended its stream: its place is free. */
    void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
        open.decrementAndGet();
    }

    String state() {
        return tally.state(open.get(), droppedSubscribers.get(), lost.get(), notStreamed());
    }

    private synchronized long notStreamed() {
        return notStreamed;
    }

    void stop() {
        stopping = true;
        thread.interrupt();
        for (Subscriber subscriber : subscribers) {
            subscriber.end();
        }
    }

    private void run() {
        long nextTick = System.currentTimeMillis() + TICK_MILLIS;
        List<Console.Event> batch = new ArrayList<>(4096);
        try {
            while (!stopping) {
                if (events.isEmpty()) {
                    Thread.sleep(DRAIN_MILLIS);
                }
                events.drainTo(batch, 4096);
                for (Console.Event event : batch) {
                    handle(event);
                }
                batch.clear();
                long now = System.currentTimeMillis();
                if (now >= nextTick) {
                    broadcast("event: tick\ndata: " + tally.summary(open.get(), droppedSubscribers.get(), lost.get(),
                            notStreamed()) + "\n\n");
                    nextTick = Math.max(nextTick + TICK_MILLIS, now + 1);
                }
            }
        } catch (InterruptedException e) {
            // stop(): the pages' streams are ended there
        }
    }

    private void handle(Console.Event event) {
        long seq = tally.add(event);
        if (subscribers.isEmpty() || event.event().equals("connect")) {
            return;   // a connection alone shows on the page as a count, which the ticks carry
        }
        long second = event.millis() / 1000;
        if (second != streamedSecond) {
            streamedSecond = second;
            streamedThisSecond = 0;
        }
        if (streamedThisSecond >= streamedPerSecond) {
            synchronized (this) {
                notStreamed++;
            }
            return;
        }
        streamedThisSecond++;
        broadcast("id: " + seq + "\ndata: " + event.json() + "\n\n");
    }

    private void broadcast(String message) {
        for (Subscriber subscriber : subscribers) {
            if (!subscriber.offer(message)) {
                subscribers.remove(subscriber);
                droppedSubscribers.incrementAndGet();
            }
        }
    }
}
