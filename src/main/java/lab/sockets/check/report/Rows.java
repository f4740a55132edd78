package lab.sockets.check.report;

import lab.sockets.check.Outcome;
import lab.sockets.check.SubmissionReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A class's reports a row per submission: with {@code sockets check all}, one directory has a report per
 * role, and the grade book, the CSV and the page want one line for the student, not four.
 */
final class Rows {
    private Rows() {}

    /** One report per distinct submission, in the order first seen: every outcome, every distinct note. */
    static List<SubmissionReport> merged(List<SubmissionReport> reports) {
        Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
        Map<String, List<String>> notes = new LinkedHashMap<>();
        for (SubmissionReport report : reports) {
            outcomes.computeIfAbsent(report.submission(), key -> new ArrayList<>()).addAll(report.outcomes());
            List<String> seen = notes.computeIfAbsent(report.submission(), key -> new ArrayList<>());
            if (!report.note().isEmpty() && !seen.contains(report.note())) {
                seen.add(report.note());
            }
        }
        List<SubmissionReport> rows = new ArrayList<>();
        for (Map.Entry<String, List<Outcome>> row : outcomes.entrySet()) {
            rows.add(new SubmissionReport(row.getKey(), row.getValue(), String.join("; ", notes.get(row.getKey()))));
        }
        return rows;
    }

    /** The role of a report's cases, as written in reports ({@code tcp-server}), or {@code check} when it has none. */
    static String role(SubmissionReport report) {
        return report.outcomes().isEmpty() ? "check" : report.outcomes().get(0).info().role().label();
    }
}
