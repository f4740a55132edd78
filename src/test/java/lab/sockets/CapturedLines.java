package lab.sockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Output kept line by line so that a test can wait for a line (a condition) rather than for the clock:
 * the console of a server in the test's own JVM (written through {@link #printWriter()}), or a child
 * process's stdout or stderr (read by a thread of its own, {@link #reading}). Lines end at {@code \n}
 * only, so a raw {@code \r} stays visible inside its line.
 */
final class CapturedLines extends Writer {
    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    /** A stream read to its end, as UTF-8, by a daemon thread; a test can wait for its lines or its end. */
    static CapturedLines reading(InputStream stream) {
        CapturedLines captured = new CapturedLines();
        Thread reader = new Thread(() -> {
            char[] buffer = new char[8192];
            try (Reader in = new InputStreamReader(stream, UTF_8)) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    captured.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            captured.end();
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return captured;
    }

    PrintWriter printWriter() {
        return new PrintWriter(this, true);
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (chars[i] == '\n') {
                lines.add(partial.toString());
                partial.setLength(0);
            } else {
                partial.append(chars[i]);
            }
        }
        notifyAll();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** The stream ended: a last line without a newline still counts as a line, and no more will come. */
    private synchronized void end() {
        if (partial.length() > 0) {
            lines.add(partial.toString());
            partial.setLength(0);
        }
        ended = true;
        notifyAll();
    }

    /**
     * The first line, written so far or to come, that contains a match of {@code regex}. Fails if none
     * comes within {@code timeout}, or at once if the stream ends without one.
     */
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
            if (ended) {
                throw new AssertionError("output ended before a line matching /" + regex + "/; it was:\n" + excerpt());
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no line matching /" + regex + "/ within " + timeout + "; output so far:\n" + excerpt());
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
                throw new AssertionError("never saw " + what + " within " + timeout + "; output so far:\n" + excerpt());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return text();
    }

    /** Waits for the end of the stream, at most {@code timeout} (then returns anyway, with what came). */
    synchronized void awaitEnd(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); !ended && left > 0; left = end - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The output for a failure message: all of it, or its first and last lines if it is long. */
    private synchronized String excerpt() {
        if (lines.size() <= 100) {
            return text();
        }
        return String.join("\n", lines.subList(0, 20)) + "\n... (" + (lines.size() - 80) + " lines)\n"
                + String.join("\n", lines.subList(lines.size() - 60, lines.size())) + "\n" + partial;
    }

    /** Every line so far, each followed by a newline, then the line being written (without one). */
    synchronized String text() {
        StringBuilder all = new StringBuilder();
        for (String line : lines) {
            all.append(line).append('\n');
        }
        return all.append(partial).toString();
    }
}
