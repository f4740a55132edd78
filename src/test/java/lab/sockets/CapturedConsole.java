package lab.sockets;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

/** A {@link Console} whose lines a test can read and wait for. */
public final class CapturedConsole {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    public final Console console;

    public CapturedConsole() {
        this(false);
    }

    public CapturedConsole(boolean json) {
        this(json, false);
    }

    public CapturedConsole(boolean json, boolean explain) {
        console = new Console(new PrintWriter(out, true), new PrintWriter(err, true), json, explain, true, null);
    }

    public String out() {
        synchronized (out) {
            return out.toString();
        }
    }

    public String err() {
        synchronized (err) {
            return err.toString();
        }
    }

    /** Waits until stdout holds {@code text}; polls, since a StringWriter cannot signal. */
    public String awaitOut(String text, Duration timeout) throws InterruptedException {
        return awaitOut(out -> out.contains(text), "'" + text + "'", timeout);
    }

    /** Waits until stdout satisfies {@code condition}, described as {@code what} if it never does. */
    public String awaitOut(java.util.function.Predicate<String> condition, String what, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.test(out())) {
            if (System.nanoTime() > end) {
                throw new AssertionError("console never showed " + what + "; it showed:\n" + out() + err());
            }
            synchronized (this) {
                wait(5);   // a bounded poll on a condition, not a guess at how long the server takes
            }
        }
        return out();
    }
}
