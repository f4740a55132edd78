package lab.sockets.check;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * A class run's progress on stderr, a line a second, so a TA checking 100 submissions sees it move:
 * <pre>
 *   check: 37/100 submissions done, 4 failing, about 1m 05s left
 * </pre>
 * The time left assumes the submissions still to come take as long as those done so far.
 */
final class Progress {
    private final int total;
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();
    private int done;
    private int failing;
    private boolean stopped;

    private Progress(int total, PrintWriter out) {
        this.total = total;
        this.out = out;
    }

    /** Starts showing progress on {@code out} (nothing if {@code null}). */
    static Progress start(int total, PrintWriter out) {
        Progress progress = new Progress(total, out);
        if (out != null) {
            Thread ticker = new Thread(progress::tick, "class run progress");
            ticker.setDaemon(true);
            ticker.start();
        }
        return progress;
    }

    synchronized void done(boolean passed) {
        done++;
        failing += passed ? 0 : 1;
    }

    /** Stops the ticking, and shows the last line: how long the whole run took. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
        if (out != null) {
            out.println(line(System.nanoTime() - startNanos));
            out.flush();
        }
    }

    private synchronized void tick() {
        long next = System.nanoTime();
        try {
            while (!stopped) {
                next += TimeUnit.SECONDS.toNanos(1);
                for (long left; !stopped && (left = next - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                if (!stopped) {
                    out.println(line(System.nanoTime() - startNanos));
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The progress line after {@code elapsedNanos}. */
    synchronized String line(long elapsedNanos) {
        String left = done == 0 ? "time left unknown yet"
                : done == total ? "done in " + clock(elapsedNanos)
                : "about " + clock(elapsedNanos / done * (total - done)) + " left";
        return "check: " + done + "/" + total + " submissions done, " + failing + " failing, " + left;
    }

    private static String clock(long nanos) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(nanos + 500_000_000L);
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m " + String.format(java.util.Locale.ROOT, "%02ds", seconds % 60);
    }
}
