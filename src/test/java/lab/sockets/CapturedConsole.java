package lab.sockets;

import java.time.Duration;
import java.util.function.Predicate;

/** A {@link Console} for a server or client running in the test's JVM, whose lines a test can wait for. */
public final class CapturedConsole {
    private final CapturedLines out = new CapturedLines();
    private final CapturedLines err = new CapturedLines();
    public final Console console;

    public CapturedConsole() {
        this(false);
    }

    public CapturedConsole(boolean json) {
        this(json, false);
    }

    public CapturedConsole(boolean json, boolean explain) {
        console = new Console(out.printWriter(), err.printWriter(), json, explain, true, null);
    }

    /** Everything on stdout so far, a line per line, each ending with a newline. */
    public String out() {
        String text = out.text();
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }

    public String err() {
        return err.text();
    }

    /** Waits until stdout holds {@code text}. */
    public String awaitOut(String text, Duration timeout) throws InterruptedException {
        return awaitOut(all -> all.contains(text), "'" + text + "'", timeout);
    }

    /** Waits until stdout satisfies {@code condition}, described as {@code what} if it never does. */
    public String awaitOut(Predicate<String> condition, String what, Duration timeout) throws InterruptedException {
        out.awaitText(condition, what, timeout);
        return out();
    }
}
