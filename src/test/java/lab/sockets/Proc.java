package lab.sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;

/** What Linux says about a child process: its open file descriptors and the CPU time it used. */
final class Proc {
    private Proc() {}

    /** How many file descriptors the process has open now ({@code ls /proc/PID/fd | wc -l}). */
    static int openFds(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Paths.get("/proc", String.valueOf(pid), "fd"))) {
            return (int) fds.count();
        }
    }

    /** User plus system CPU time the process has used, in milliseconds ({@code /proc/PID/stat} fields 14, 15). */
    static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", String.valueOf(pid), "stat"), UTF_8);
        // the command name (field 2) may hold spaces and parentheses: count fields from the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime, stime
        return ticks * 1000 / ClockTicks.PER_SECOND;
    }

    /** {@code getconf CLK_TCK}, asked once. */
    private static final class ClockTicks {
        static final long PER_SECOND = ask();
    }

    private static long ask() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(getconf.getInputStream().readAllBytes(), UTF_8).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the Linux default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. For states
     * no event announces (a count in /proc settling), polled every 20 ms: the wait ends as soon as it holds.
     */
    static boolean until(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }
}
