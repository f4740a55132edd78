package lab.sockets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real program, {@code java -jar target/sockets.jar ...}, as a child process: what users run.
 * Its stdout and stderr are collected line by line, so a test can wait for a line (the banner) instead
 * of sleeping, and then assert on exact text and on the exit code.
 */
public final class JarProcess implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("listening on \\S+ port (\\d+)");

    private final Process process;
    private final CapturedLines out;
    private final CapturedLines err;

    private JarProcess(Process process) {
        this.process = process;
        this.out = CapturedLines.reading(process.getInputStream());
        this.err = CapturedLines.reading(process.getErrorStream());
    }

    /** The jar Maven built: the failsafe plugin passes its path; run from an IDE, target/ is assumed. */
    public static Path jar() {
        Path jar = Paths.get(System.getProperty("sockets.jar", "target/sockets.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn verify`, which packages before these tests");
        }
        return jar;
    }

    /** {@code java -jar sockets.jar args...}, with the same java that runs the tests. */
    public static JarProcess start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** As {@link #start(String...)}, with extra JVM options (for example {@code -Duser.language=tr}). */
    public static JarProcess start(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return new JarProcess(new ProcessBuilder(command).start());
    }

    /** Runs any command line (a shell, python3) with its output collected the same way. */
    public static JarProcess command(List<String> command) throws IOException {
        return new JarProcess(new ProcessBuilder(command).start());
    }

    /** As {@link #command(List)}, run in {@code directory} (to show a launcher works from anywhere). */
    public static JarProcess command(List<String> command, Path directory) throws IOException {
        return new JarProcess(new ProcessBuilder(command).directory(directory.toFile()).start());
    }

    /** Waits for the server's banner and returns the port it really bound. */
    public int awaitPort(Duration timeout) throws InterruptedException {
        Matcher m = PORT.matcher(out.await(PORT.pattern(), timeout));
        if (!m.find()) {
            throw new AssertionError("no port in the banner");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The first stdout line (seen so far or to come) that contains a match of {@code regex}. */
    public String awaitLine(String regex, Duration timeout) throws InterruptedException {
        return out.await(regex, timeout);
    }

    /** Waits until all of stdout so far satisfies {@code condition}, described as {@code what} if it never does. */
    public String awaitStdout(Predicate<String> condition, String what, Duration timeout) throws InterruptedException {
        return out.awaitText(condition, what, timeout);
    }

    /** The first stderr line that contains a match of {@code regex}. */
    public String awaitErrLine(String regex, Duration timeout) throws InterruptedException {
        return err.await(regex, timeout);
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGTERM, as {@code kill} or a session ending sends it. Through the process handle, because
     * {@link Process#destroy()} also closes our end of the child's stdout and stderr, which would lose
     * everything the server prints while it shuts down (its "stopping" and "stopped" lines).
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for the process to end and returns its exit code; fails the test if it does not end in time. */
    public int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process did not exit within " + timeout + "; stdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
        }
        out.awaitEnd(Duration.ofSeconds(10));
        err.awaitEnd(Duration.ofSeconds(10));
        return process.exitValue();
    }

    public String stdout() {
        return out.text();
    }

    public String stderr() {
        return err.text();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
