package lab.sockets;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The console of a server running in the test's own JVM: a {@link Writer} that keeps what is written,
 * line by line, so a test can wait for a log line (a condition) rather than for the clock.
 */
final class CapturedLines extends Writer {
    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new ArrayList<>();

    PrintWriter printWriter() {
        return new PrintWriter(this, true);
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (chars[i] == '\n') {
                lines.add(partial.toString());
                partial.setLength(0);
                notifyAll();
            } else {
                partial.append(chars[i]);
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** The first line, written so far or to come, that contains a match of {@code regex}. */
    synchronized String await(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long end = System.nanoTime() + timeout.toNanos();
        for (int seen = 0; ; ) {
            while (seen < lines.size()) {
                String line = lines.get(seen++);
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no line matching /" + regex + "/ within " + timeout + "; lines so far:\n" + text());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until the text written so far satisfies {@code condition}; returns that text. */
    synchronized String awaitText(Predicate<String> condition, String what, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (String text = text(); !condition.test(text); text = text()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("never saw " + what + " within " + timeout + "; lines so far:\n" + text);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return text();
    }

    synchronized String text() {
        return String.join("\n", lines) + (partial.length() > 0 ? "\n" + partial : "");
    }
}
