package lab.sockets.check;

import java.io.PrintWriter;
import java.util.List;

/**
 * The report on the console, for people: one line per case, the evidence under each case that did not
 * pass, then the score.
 * <pre>
 *   tcp-server: python3 scripts/python/tcp_server.py "" {port}
 *   pass  tcp-server/accepts         accepts a connection
 *   warn  tcp-server/concurrent      serves a client while another one sits silent at the prompt
 *           expected: a prompt for a second client, while the first sits silent at its prompt
 *           ...
 *   score: 11/13  required 6/6  robust 5/7
 * </pre>
 */
final class TextReport {
    private TextReport() {}

    private static final String INDENT = "        ";

    static void write(List<SubmissionReport> reports, PrintWriter out) {
        for (SubmissionReport report : reports) {
            int width = 0;
            for (Outcome outcome : report.outcomes()) {
                width = Math.max(width, outcome.info().id().length());
            }
            String role = report.outcomes().isEmpty() ? "check" : report.outcomes().get(0).info().role().label();
            out.println(role + ": " + report.submission() + (report.note().isEmpty() ? "" : "  (" + report.note() + ")"));
            for (Outcome outcome : report.outcomes()) {
                String id = outcome.info().id();
                out.println(outcome.verdict().label() + "  " + id + " ".repeat(width - id.length() + 2)
                        + outcome.info().title());
                if (outcome.verdict() != Verdict.PASS && !outcome.evidence().isEmpty()) {
                    for (String line : outcome.evidence().split("\n")) {
                        out.println(INDENT + line);
                    }
                }
            }
            out.println(Score.of(report).line());
        }
        out.flush();
    }

    /** {@code --list}: the catalogue, one case a line: ID, class, title, and the slides' line under it. */
    static void catalogue(List<Check> cases, PrintWriter out) {
        int width = 0;
        for (Check check : cases) {
            width = Math.max(width, check.info().id().length());
        }
        for (Check check : cases) {
            CaseInfo info = check.info();
            out.println(info.id() + " ".repeat(width - info.id().length() + 2) + String.format("%-8s  ", info.kind().label())
                    + info.title());
            out.println(" ".repeat(width + 12) + "slides: " + info.slide());
        }
        out.flush();
    }
}
