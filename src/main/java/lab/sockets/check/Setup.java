package lab.sockets.check;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one submission is checked, as the command line said.
 *
 * @param run       the program's command line ({@code --run}), with {@code {port}} and {@code {dir}} still in it;
 *                  {@code null} for a server that is already running
 * @param host      where that running server is ({@code --host}); {@code null} with {@code --run}
 * @param port      the port under test when {@code run} has no {@code {port}} ({@code --port}, else the slides' port)
 * @param dir       the submission directory, or {@code null}
 * @param timeLimit the longest one case may take, the program's start included
 */
record Setup(Role role, String run, String host, int port, Path dir, Duration timeLimit) {
    /** Whether the checker starts the program itself. */
    boolean starts() {
        return run != null;
    }

    /** Whether each case gets a port of its own (so cases can run side by side). */
    boolean choosesPorts() {
        return run != null && run.contains("{port}");
    }

    /** The shell command for one case: {@code {port}} and {@code {dir}} (absolute: the program runs in it) filled in. */
    String command(int casePort) {
        String command = run.replace("{port}", String.valueOf(casePort));
        return dir == null ? command : command.replace("{dir}", shellQuoted(dir.toAbsolutePath().toString()));
    }

    /** What the reports call this submission: its directory, or the command line. */
    String name() {
        if (dir != null) {
            return dir.toString();
        }
        return run != null ? run : host + " port " + port;
    }

    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
