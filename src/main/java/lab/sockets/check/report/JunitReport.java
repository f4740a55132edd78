package lab.sockets.check.report;

import lab.sockets.check.Outcome;
import lab.sockets.check.SubmissionReport;
import lab.sockets.check.Verdict;

import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code --junit FILE}: JUnit XML, the format CI servers read (and h2spec writes): a {@code testsuite} per
 * program checked, a {@code testcase} per case.
 * <pre>
 *   &lt;testsuites name="sockets check" tests="13" failures="2" errors="0" skipped="0" time="9.412"&gt;
 *     &lt;testsuite name="tcp-server: submissions/alice/" tests="13" failures="2" ...&gt;
 *       &lt;testcase name="tcp-server/prompt" classname="tcp-server: submissions/alice/" time="0.041"/&gt;
 *       &lt;testcase name="tcp-server/split-id" ...&gt;&lt;failure type="warn" message="expected: ..."&gt;evidence&lt;/failure&gt;
 * </pre>
 * A failed case is a {@code failure} of type {@code fail}; a warning (a failed robust case without
 * {@code --strict}) a {@code failure} of type {@code warn}, which CI servers show as a failed test while the
 * command's exit status stays 0; a skipped case is {@code skipped}, its message the reason.
 */
public final class JunitReport {
    private JunitReport() {}

    public static void write(List<SubmissionReport> reports, Writer out) throws IOException {
        int tests = 0, failures = 0, skipped = 0;
        Duration time = Duration.ZERO;
        for (SubmissionReport report : reports) {
            tests += report.outcomes().size();
            failures += report.notPassed().size();
            skipped += count(report, Verdict.SKIP);
            time = time.plus(took(report));
        }
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.write("<testsuites name=\"sockets check\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"" + skipped + "\" time=\"" + seconds(time) + "\">\n");
        for (SubmissionReport report : reports) {
            suite(report, out);
        }
        out.write("</testsuites>\n");
    }

    private static void suite(SubmissionReport report, Writer out) throws IOException {
        String name = Rows.role(report) + ": " + report.submission();
        out.write("  <testsuite name=\"" + Xml.attribute(name) + "\" tests=\"" + report.outcomes().size()
                + "\" failures=\"" + report.notPassed().size() + "\" errors=\"0\" skipped=\""
                + count(report, Verdict.SKIP) + "\" time=\"" + seconds(took(report)) + "\">\n");
        if (!report.note().isEmpty()) {
            out.write("    <properties><property name=\"note\" value=\"" + Xml.attribute(report.note())
                    + "\"/></properties>\n");
        }
        for (Outcome outcome : report.outcomes()) {
            out.write("    <testcase name=\"" + Xml.attribute(outcome.info().id()) + "\" classname=\""
                    + Xml.attribute(name) + "\" time=\"" + seconds(outcome.took()) + "\"");
            String evidence = outcome.evidence();
            String message = evidence.isEmpty() ? outcome.info().title() : evidence.split("\n", 2)[0];
            switch (outcome.verdict()) {
                case PASS -> out.write("/>\n");
                case SKIP -> out.write("><skipped message=\"" + Xml.attribute(message) + "\"/></testcase>\n");
                default -> out.write("><failure type=\"" + outcome.verdict().label() + "\" message=\""
                        + Xml.attribute(message) + "\">" + Xml.text(outcome.info().title() + "\n" + evidence)
                        + "</failure></testcase>\n");
            }
        }
        out.write("  </testsuite>\n");
    }

    private static int count(SubmissionReport report, Verdict verdict) {
        int n = 0;
        for (Outcome outcome : report.outcomes()) {
            n += outcome.verdict() == verdict ? 1 : 0;
        }
        return n;
    }

    private static Duration took(SubmissionReport report) {
        Duration time = Duration.ZERO;
        for (Outcome outcome : report.outcomes()) {
            time = time.plus(outcome.took());
        }
        return time;
    }

    private static String seconds(Duration time) {
        return String.format(Locale.ROOT, "%.3f", time.toMillis() / 1000.0);
    }
}
