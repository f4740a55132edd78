package lab.sockets;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How every server here stops, in one place: once asked, it stops accepting (closes its listening socket,
 * which wakes its threads), lets what is in flight finish for up to a grace period, and returns when its
 * threads are done; then it has its summary to print. Safe to ask twice, from any thread.
 */
public final class Lifecycle {
    private final CountDownLatch running;
    private final Duration grace;
    private final Console console;
    private final Supplier<List<String>> summary;
    private volatile boolean stopping;
    private volatile long graceEnds;

    /** @param threads how many serving threads report {@link #threadDone()} */
    public Lifecycle(int threads, Duration grace, Console console) {
        this(threads, grace, console, List::of);
    }

    /** @param summary what the server has to say once stopped (what it served, who is missing) */
    public Lifecycle(int threads, Duration grace, Console console, Supplier<List<String>> summary) {
        this.running = new CountDownLatch(threads);
        this.grace = grace;
        this.console = console;
        this.summary = summary;
    }

    /** Lines for the TA once the server has stopped. */
    public List<String> summary() {
        return summary.get();
    }

    /** Whether the server was asked to stop: its threads finish what they hold and end. */
    public boolean stopping() {
        return stopping;
    }

    /** Whether the grace period for what was in flight is over. */
    public boolean graceOver() {
        return stopping && System.nanoTime() - graceEnds >= 0;
    }

    /** Stops the server: {@code stopAccepting} runs once; then waits for the serving threads. */
    public void stop(Runnable stopAccepting) {
        synchronized (this) {
            if (!stopping) {
                graceEnds = System.nanoTime() + grace.toNanos();
                stopping = true;
                stopAccepting.run();
            }
        }
        await(grace.plusSeconds(1));
        console.flush();
    }

    /**
     * The thread of a server that serves on one ({@code tcp-server --iterative}, {@code udp-server}): a
     * daemon that runs {@code turn} (one client, one datagram) again and again until the server is stopping,
     * then flushes the console and reports itself done. The server starts it once it is built.
     */
    public Thread servingThread(String name, Runnable turn) {
        Thread thread = new Thread(() -> {
            try {
                while (!stopping) {
                    turn.run();
                }
            } finally {
                console.flush();
                threadDone();
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /** A serving thread has ended. */
    public void threadDone() {
        running.countDown();
    }

    /** Waits until every serving thread has ended; returns whether they did within {@code timeout}. */
    public boolean await(Duration timeout) {
        try {
            return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
