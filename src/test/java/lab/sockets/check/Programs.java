package lab.sockets.check;

import lab.sockets.JarProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assumptions.abort;

/** The programs the checker tests check: the slides' four, our own four commands, and the broken ones. */
final class Programs {
    private Programs() {}

    /** Short, so that a failing case costs little; still far above what a correct program needs. */
    static final Duration PYTHON_LIMIT = Duration.ofSeconds(5);
    /** Our commands start a JVM for every case. */
    static final Duration JAVA_LIMIT = Duration.ofSeconds(8);

    private static String python;

    /**
     * The python3 executable itself: a version manager's {@code python3} may be a script that costs a
     * second at every start, and the checker starts a program for every case.
     */
    static synchronized String python() {
        if (python == null) {
            try {
                Process which = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
                String path = new String(which.getInputStream().readAllBytes(), UTF_8).trim();
                if (!which.waitFor(30, TimeUnit.SECONDS) || which.exitValue() != 0 || path.isEmpty()) {
                    abort("python3 is needed to run the slides' programs");
                }
                python = path;
            } catch (IOException e) {
                abort("python3 is needed to run the slides' programs: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort("interrupted");
            }
        }
        return python;
    }

    /** The command line of a Python program for {@code role}, as the slides' scripts take host and port. */
    static String python(Role role, Path script) {
        String host = role.isServer() ? "''" : "127.0.0.1";
        return python() + " " + script.toAbsolutePath() + " " + host + " {port}";
    }

    /** The slides' own program for {@code role}. */
    static String slides(Role role) {
        return python(role, Paths.get("scripts/python", role.label().replace('-', '_') + ".py"));
    }

    /** Our own command for {@code role}, with client timeouts short enough for {@link #JAVA_LIMIT}. */
    static String ours(Role role) {
        Map<Role, String> options = new EnumMap<>(Role.class);
        options.put(Role.TCP_SERVER, "");
        options.put(Role.UDP_SERVER, "");
        options.put(Role.TCP_CLIENT, " --timeout 1s");
        options.put(Role.UDP_CLIENT, " --timeout 1s");
        return Paths.get(System.getProperty("java.home"), "bin", "java") + " -jar " + JarProcess.jar().toAbsolutePath()
                + " " + role.label() + " --port {port}" + options.get(role);
    }

    static Setup setup(Role role, String run, Duration limit) {
        return new Setup(role, run, null, role.slidesPort(), null, limit);
    }

    /** Runs {@code checks} in this JVM, strictly (a failed robust case is a FAIL). */
    static SubmissionReport check(Role role, String run, Duration limit, List<Check> checks) {
        return CaseRunner.run(setup(role, run, limit), checks, true);
    }

    /** {@code id=verdict} for every case, for assertion messages. */
    static String verdicts(SubmissionReport report) {
        StringBuilder text = new StringBuilder();
        for (Outcome outcome : report.outcomes()) {
            text.append('\n').append(outcome.verdict().label()).append("  ").append(outcome.info().id());
            if (outcome.verdict() != Verdict.PASS) {
                text.append("\n    ").append(outcome.evidence().replace("\n", "\n    "));
            }
        }
        return text.toString();
    }
}
