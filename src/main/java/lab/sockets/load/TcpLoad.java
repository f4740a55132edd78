package lab.sockets.load;

import lab.sockets.Console;
import lab.sockets.load.TcpLoadLoop.Phase;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Many simulated students against one TCP server that speaks the lab protocol (ours, the slides' Python
 * server, a student's own): settings in, {@link TcpLoadResult} out. Each {@link TcpLoadClient} does what the
 * slides' client does: connect, read the prompt (and check it is exactly {@code What's your student ID?\n}),
 * send an ID, read the acknowledgement if the server sends one, until the server closes.
 *
 * <p>Two ways to run:
 * <ul>
 *   <li><b>closed loop</b> ({@link TcpLoadSettings#closedLoop}): N clients, each starting its next conversation
 *       as soon as the last one ended, for a fixed time. It measures conversations per second and how long
 *       each took; against the slides' one-at-a-time server, most clients are seen waiting in the queue.</li>
 *   <li><b>hold</b> ({@link TcpLoadSettings#hold}): N clients connect and stay silent (a class typing), then
 *       all answer at once. It measures the time to get them all accepted and the time to serve them all.</li>
 * </ul>
 *
 * <p>Its own cost must stay small next to the server it measures, so it is built like the server: a few
 * {@link TcpLoadLoop} threads, not a thread per client. This class deals the clients out to the loops, starts
 * them, prints progress, moves them from phase to phase, and adds up their {@link TcpLoadStats} at the end.
 * Every wait is bounded by the settings' timeout: a client that makes no progress in that time is counted
 * as a timeout and closed.
 */
public final class TcpLoad {
    private final TcpLoadSettings settings;
    private final Console progress;
    private final List<TcpLoadLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch loopsEnded;

    private TcpLoad(TcpLoadSettings settings, Console progress) throws IOException {
        this.settings = settings;
        this.progress = progress;
        loopsEnded = new CountDownLatch(settings.threads());
        for (int i = 0; i < settings.threads(); i++) {
            TcpLoadLoop loop = new TcpLoadLoop(progress, loopsEnded);
            loops.add(loop);
            Thread thread = new Thread(loop, "tcp-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        for (int n = 0; n < settings.clients(); n++) {
            TcpLoadLoop loop = loops.get(n % loops.size());
            loop.add(new TcpLoadClient(loop, settings, n));
        }
    }

    /**
     * Runs the load as {@code settings} say and returns what it measured. It ends by itself: after the
     * duration (closed loop), or once every held client was served or gave up (hold). {@code progress}
     * gets a line each second.
     */
    public static TcpLoadResult run(TcpLoadSettings settings, Console progress) throws IOException {
        TcpLoad load = new TcpLoad(settings, progress);
        try {
            return settings.hold() ? load.runHold() : load.runClosedLoop();
        } finally {
            load.stop();
        }
    }

    private TcpLoadResult runClosedLoop() throws InterruptedIOException {
        long start = System.nanoTime();
        startLoops();
        long end = start + settings.duration().toNanos();
        long second = TimeUnit.SECONDS.toNanos(1);
        long nextLine = start + second;
        long shown = 0;
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0 || await(loopsEnded, Math.min(nextLine, end) - now)) {
                break;   // time is up (or every loop failed, which it has said on the console)
            }
            if (System.nanoTime() - nextLine >= 0) {
                long total = sum(loop -> loop.stats().completed.get());
                progress.event("progress", null, String.format(Locale.ROOT,
                        "%3d s: %,d conversations (%,d/s), %,d errors, %,d clients busy",
                        TimeUnit.NANOSECONDS.toSeconds(nextLine - start), total, total - shown,
                        sum(loop -> loop.stats().failed.get()), sum(loop -> loop.stats().busy.get())),
                        "conversations", String.valueOf(total));
                progress.flush();
                shown = total;
                nextLine += second;
            }
        }
        long elapsed = System.nanoTime() - start;
        stop();
        return TcpLoadResult.closedLoop(settings, elapsed, total());
    }

    private TcpLoadResult runHold() throws InterruptedIOException {
        // 1. connect all, each reads its prompt and then stays silent
        long start = System.nanoTime();
        startLoops();
        awaitPhase("connecting", start, loop -> loop.settled, loop -> loop.stats().prompted.get());
        long prompted = sum(loop -> loop.stats().prompted.get());
        long connectNanos = latest(loop -> loop.lastSettled) - start;
        // 2. hold them silent: a class typing
        long holdEnd = System.nanoTime() + settings.holdFor().toNanos();
        for (long left; (left = holdEnd - System.nanoTime()) > 0; ) {
            progress.event("progress", null, String.format(Locale.ROOT, "holding %,d silent connections, %.1f s left",
                    sum(loop -> loop.stats().held.get()), left / 1e9));
            progress.flush();
            if (await(loopsEnded, Math.min(left, TimeUnit.SECONDS.toNanos(1)))) {
                break;   // every loop failed, and said so
            }
        }
        // 3. every held client sends its ID at once
        long answerStart = System.nanoTime();
        for (TcpLoadLoop loop : loops) {
            loop.enter(Phase.ANSWER);
        }
        awaitPhase("answering", answerStart, loop -> loop.answered, loop -> loop.stats().completed.get());
        long serveNanos = Math.max(0, latest(loop -> loop.lastSettled) - answerStart);
        stop();
        return TcpLoadResult.hold(settings, prompted, connectNanos, serveNanos, total());
    }

    /** Waits until every loop has settled all its clients for this phase, printing progress each second. */
    private void awaitPhase(String what, long start, Function<TcpLoadLoop, CountDownLatch> latch,
                            ToLongFunction<TcpLoadLoop> count) throws InterruptedIOException {
        // Each client settles within the timeout by itself; the extra time only guards against a bug.
        long end = System.nanoTime() + settings.timeout().toNanos() + TimeUnit.SECONDS.toNanos(10);
        for (TcpLoadLoop loop : loops) {
            while (!await(latch.apply(loop), Math.min(TimeUnit.SECONDS.toNanos(1), end - System.nanoTime()))) {
                if (System.nanoTime() - end >= 0) {
                    return;
                }
                progress.event("progress", null, String.format(Locale.ROOT, "%s: %,d of %,d done after %.1f s, %,d errors",
                        what, sum(count), settings.clients(), (System.nanoTime() - start) / 1e9,
                        sum(l -> l.stats().failed.get())));
                progress.flush();
            }
        }
    }

    private void startLoops() {
        for (Thread thread : threads) {
            thread.start();
        }
    }

    /** Tells the loops to stop, and waits until they have closed their sockets. Safe to call twice. */
    private void stop() throws InterruptedIOException {
        for (TcpLoadLoop loop : loops) {
            loop.enter(Phase.STOP);
        }
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while stopping the load threads");
                }
            }
        }
    }

    /** Every loop's figures added up; called once the loops have stopped. */
    private TcpLoadStats total() {
        TcpLoadStats total = new TcpLoadStats();
        for (TcpLoadLoop loop : loops) {
            total.add(loop.stats());
        }
        return total;
    }

    private long sum(ToLongFunction<TcpLoadLoop> count) {
        long total = 0;
        for (TcpLoadLoop loop : loops) {
            total += count.applyAsLong(loop);
        }
        return total;
    }

    private long latest(ToLongFunction<TcpLoadLoop> time) {
        long latest = Long.MIN_VALUE;
        for (TcpLoadLoop loop : loops) {
            latest = Math.max(latest, time.applyAsLong(loop));
        }
        return latest;
    }

    private static boolean await(CountDownLatch latch, long nanos) throws InterruptedIOException {
        try {
            return latch.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
