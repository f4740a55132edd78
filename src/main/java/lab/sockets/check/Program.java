package lab.sockets.check;

import lab.sockets.Protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A student's program, started for one case with {@code sh -c CMD} and killed, with everything it started,
 * when the case ends. It runs in a session and process group of its own ({@code setsid}), so the whole
 * group can be found and killed even after the shell in between has exited; a child that started a
 * session of its own is found through the process tree, watched while the case runs.
 * <p>
 * Python buffers {@code print()} when its output is a pipe, and a killed program never flushes: the
 * checker sets {@code PYTHONUNBUFFERED=1}, so that the program's output reaches the checker at once, as it
 * reaches a terminal.
 */
final class Program implements AutoCloseable {
    private static final Path SETSID = Paths.get("/usr/bin/setsid");
    /** How long a killed program may take to be gone (its ports released). */
    private static final Duration REAP = Duration.ofSeconds(2);

    private final String command;
    private final Process process;
    private final Output stdout;
    private final Output stderr;
    private final OutputStream stdin;
    private final Set<ProcessHandle> seen = new HashSet<>();
    private final long startedNanos = System.nanoTime();

    private Program(String command, Process process) {
        this.command = command;
        this.process = process;
        this.stdout = Output.collect(process.getInputStream(), "stdout of " + process.pid());
        this.stderr = Output.collect(process.getErrorStream(), "stderr of " + process.pid());
        this.stdin = process.getOutputStream();
    }

    /** Starts {@code command} with {@code sh -c}, in {@code dir} (the current directory when {@code null}). */
    static Program start(String command, Path dir) throws IOException {
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString());   // Java's child is never a group leader, so setsid does not fork
        }
        argv.add("sh");
        argv.add("-c");
        argv.add(command);
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("PYTHONUNBUFFERED", "1");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        return new Program(command, builder.start());
    }

    Output stdout() {
        return stdout;
    }

    /** The program's side of a case's evidence: its command, its exit status, and the end of each output. */
    String evidence() {
        Integer status = exitStatus();
        StringBuilder text = new StringBuilder("program:  ").append(Protocol.escape(command))
                .append(status == null ? ", still running at the end of the case" : ", exited with status " + status);
        stdout.appendTail(text, "stdout");
        stderr.appendTail(text, "stderr");
        return text.toString();
    }

    /** Types {@code line} on the program's standard input, as a student at the keyboard would, then closes it. */
    void type(String line) throws IOException {
        stdin.write(line.getBytes(UTF_8));
        stdin.flush();
        stdin.close();
    }

    boolean alive() {
        remember();
        return process.isAlive();
    }

    /** Waits until the program exits or {@code deadlineNanos} ({@link System#nanoTime()}) passes; whether it exited. */
    boolean waitForExit(long deadlineNanos) throws InterruptedException {
        remember();
        long left = deadlineNanos - System.nanoTime();
        return left > 0 ? process.waitFor(left, TimeUnit.NANOSECONDS) : !process.isAlive();
    }

    /** The exit status, or {@code null} while it runs. */
    Integer exitStatus() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** Milliseconds since the program was started. */
    long millis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** For evidence: {@code exited after 120 ms, with status 1}. */
    String exited() {
        return "exited after " + millis() + " ms, with status " + exitStatus();
    }

    /** Notes the program's descendants, so that one whose parent exits later is still known at the end. */
    private void remember() {
        process.descendants().forEach(seen::add);
    }

    /**
     * Kills the program and all it started: the process tree as seen now and while the case ran, and every
     * process still in its process group or session (orphans the tree no longer shows). Then waits, bounded,
     * until the program itself is gone.
     */
    @Override
    public void close() {
        remember();
        Set<ProcessHandle> doomed = new HashSet<>(seen);
        doomed.add(process.toHandle());
        doomed.addAll(inGroupOrSession(process.pid()));
        for (ProcessHandle handle : doomed) {
            handle.destroyForcibly();
        }
        long deadline = System.nanoTime() + REAP.toNanos();
        try {
            process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
            for (ProcessHandle handle : doomed) {
                while (!gone(handle.pid()) && System.nanoTime() - deadline < 0) {
                    Thread.sleep(5);   // polled: nothing announces another process's end to a non-parent
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stdout.awaitEnd(REAP);
        stderr.awaitEnd(REAP);
    }

    /**
     * Whether a process is gone or a zombie: dead, its sockets closed, waiting only for its parent to
     * collect its status. An orphan's new parent (init) may take its time over that.
     */
    private static boolean gone(long pid) {
        try {
            String stat = Files.readString(Paths.get("/proc", String.valueOf(pid), "stat"), UTF_8);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** Processes whose group or session is {@code leader}'s, from {@code /proc/PID/stat} (fields 5 and 6). */
    private static List<ProcessHandle> inGroupOrSession(long leader) {
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Paths.get("/proc"))) {
            entries.forEach(entry -> {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    return;
                }
                try {
                    String stat = Files.readString(entry.resolve("stat"), UTF_8);
                    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(fields[2]) == leader || Long.parseLong(fields[3]) == leader) {
                        ProcessHandle.of(Long.parseLong(name)).ifPresent(found::add);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            });
        } catch (IOException e) {
            // no /proc: the process tree is all we have
        }
        return found;
    }

    /**
     * One output stream of the program, read by a thread of its own into a bounded buffer, so a program
     * that writes megabytes cannot fill the checker's memory, and a case can wait for a text to appear.
     */
    static final class Output {
        /** What a report can show of a program's output; more is counted, not kept. */
        static final int KEPT_BYTES = 64 * 1024;
        /** The most lines a report shows: the end, where a traceback says what went wrong. */
        private static final int SHOWN_LINES = 8;

        private final byte[] kept = new byte[KEPT_BYTES];
        private int length;
        private long total;
        private boolean ended;

        static Output collect(InputStream in, String name) {
            Output output = new Output();
            Thread reader = new Thread(() -> output.readAll(in), name);
            reader.setDaemon(true);
            reader.start();
            return output;
        }

        private void readAll(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    append(buffer, n);
                }
            } catch (IOException e) {
                // the program is gone: what came is all there is
            } finally {
                synchronized (this) {
                    ended = true;
                    notifyAll();
                }
            }
        }

        private synchronized void append(byte[] buffer, int n) {
            int room = Math.min(n, KEPT_BYTES - length);
            System.arraycopy(buffer, 0, kept, length, room);
            length += room;
            total += n;
            notifyAll();
        }

        /** Everything kept so far. */
        synchronized byte[] bytes() {
            return java.util.Arrays.copyOf(kept, length);
        }

        synchronized long total() {
            return total;
        }

        /** Decoded as UTF-8 (for searching; reports escape it). */
        String text() {
            return new String(bytes(), UTF_8);
        }

        /** Appends the last lines of this output, escaped, under {@code name}: {@code stdout:   ...}. */
        void appendTail(StringBuilder text, String name) {
            String[] lines = text().split("\n", -1);
            int end = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
            if (end == 0) {
                text.append('\n').append(name).append(":   (nothing)");
                return;
            }
            int from = Math.max(0, end - SHOWN_LINES);
            if (from > 0 || total() > KEPT_BYTES) {
                text.append('\n').append(name).append(":   ... (").append(Protocol.bytesCount(total()))
                        .append(" in all; the last lines:)");
            }
            for (int i = from; i < end; i++) {
                text.append('\n').append(i == from && from == 0 ? name + ":   " : "          ")
                        .append(Protocol.escape(lines[i]));
            }
        }

        /** Waits until the output contains {@code text} or {@code deadlineNanos} passes; whether it does. */
        boolean waitFor(String text, long deadlineNanos) throws InterruptedException {
            return waitForAny(deadlineNanos, text) != null;
        }

        /** Waits until the output contains one of {@code texts}; the first found, or {@code null} at the deadline. */
        synchronized String waitForAny(long deadlineNanos, String... texts) throws InterruptedException {
            while (true) {
                for (String text : texts) {
                    if (contains(text.getBytes(UTF_8))) {
                        return text;
                    }
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || ended) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        private boolean contains(byte[] wanted) {
            outer:
            for (int i = 0; i + wanted.length <= length; i++) {
                for (int j = 0; j < wanted.length; j++) {
                    if (kept[i + j] != wanted[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        private synchronized void awaitEnd(Duration bound) {
            long end = System.nanoTime() + bound.toNanos();
            try {
                while (!ended && end - System.nanoTime() > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, end - System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
