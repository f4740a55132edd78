package lab.sockets.check;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a check's results go, once every submission is done: the console report (text, or {@code --json})
 * always, then each file report the command line asked for.
 * <p>
 * The seam for file reports: {@code --junit FILE}, {@code --gradescope FILE}, {@code --html FILE} and
 * {@code --csv FILE} are each a {@link Writer} that {@link CheckCommand} adds with {@link #add} when its
 * option is given. Every writer gets the same list, one {@link SubmissionReport} per submission.
 */
final class Reports {
    /** One report file: writes every submission's outcomes. */
    @FunctionalInterface
    interface Writer {
        void write(List<SubmissionReport> reports) throws IOException;
    }

    private final PrintWriter console;
    private final boolean json;
    private final List<Writer> files = new ArrayList<>();

    Reports(PrintWriter console, boolean json) {
        this.console = console;
        this.json = json;
    }

    /** Adds a report file (the class run's {@code --junit}, {@code --gradescope}, {@code --html}, {@code --csv}). */
    Reports add(Writer writer) {
        files.add(writer);
        return this;
    }

    /** Writes the console report, then every file report. */
    void write(List<SubmissionReport> reports) throws IOException {
        if (json) {
            JsonReport.write(reports, console);
        } else {
            TextReport.write(reports, console);
        }
        for (Writer file : files) {
            file.write(reports);
        }
    }
}
