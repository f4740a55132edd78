package lab.sockets.check.report;

import lab.sockets.Console;
import lab.sockets.check.Outcome;
import lab.sockets.check.SubmissionReport;
import lab.sockets.check.Verdict;

import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --gradescope FILE}: Gradescope's autograder {@code results.json}, so that a course's autograder can
 * run {@code sockets check ... --gradescope /autograder/results/results.json} unchanged.
 * <pre>
 *   {"score":11,"max_score":13,"execution_time":9,"output":"...","tests":[
 *    {"name":"tcp-server/prompt: sends the prompt ...","score":1,"max_score":1,"status":"passed","output":"","visibility":"visible"},
 *    ...]}
 * </pre>
 * One point per case, as the score line counts: a pass scores 1 of 1, a failure or a warning 0 of 1, a
 * skipped case 0 of 0 (its output says why). With several submissions in one file, each test's name starts
 * with its submission.
 */
public final class GradescopeReport {
    private GradescopeReport() {}

    public static void write(List<SubmissionReport> reports, Writer out) throws IOException {
        int score = 0, max = 0;
        Duration time = Duration.ZERO;
        List<String> notes = new ArrayList<>();
        boolean several = Rows.merged(reports).size() > 1;
        StringBuilder tests = new StringBuilder();
        for (SubmissionReport report : reports) {
            score += report.score();
            max += report.maxScore();
            if (!report.note().isEmpty() && !notes.contains(report.note())) {
                notes.add(report.note());
            }
            for (Outcome outcome : report.outcomes()) {
                time = time.plus(outcome.took());
                tests.append(tests.length() == 0 ? "\n " : ",\n ");
                test(tests, several ? report.submission() + ": " : "", outcome);
            }
        }
        StringBuilder json = new StringBuilder("{\"score\":").append(score).append(",\"max_score\":").append(max)
                .append(",\"execution_time\":").append(time.toSeconds());
        Console.appendJsonField(json, "output", String.join("\n", notes));
        json.append(",\"tests\":[").append(tests).append("\n]}\n");
        out.write(json.toString());
    }

    private static void test(StringBuilder json, String prefix, Outcome outcome) {
        boolean skipped = outcome.verdict() == Verdict.SKIP;
        boolean passed = outcome.verdict() == Verdict.PASS;
        StringBuilder fields = new StringBuilder();   // each field with a leading comma; the first one's is dropped
        Console.appendJsonField(fields, "name", prefix + outcome.info().id() + ": " + outcome.info().title());
        fields.append(",\"score\":").append(passed ? 1 : 0).append(",\"max_score\":").append(skipped ? 0 : 1);
        if (!skipped) {
            Console.appendJsonField(fields, "status", passed ? "passed" : "failed");
        }
        String output = switch (outcome.verdict()) {
            case PASS, FAIL -> outcome.evidence();
            case SKIP -> "skipped: " + outcome.evidence();
            case WARN -> "warning (a robust case: it costs the point; it fails the run only with --strict)\n"
                    + outcome.evidence();
        };
        Console.appendJsonField(fields, "output", output);
        Console.appendJsonField(fields, "visibility", "visible");
        json.append('{').append(fields, 1, fields.length()).append('}');
    }
}
