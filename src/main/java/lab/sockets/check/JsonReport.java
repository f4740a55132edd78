package lab.sockets.check;

import lab.sockets.Console;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code --json}: one object per line, as the other commands' {@code --json}: one per case, then one
 * summary per submission. Field names are fixed; numbers are numbers.
 * <pre>
 *   {"event":"case","role":"tcp-server","case":"tcp-server/prompt","class":"required","verdict":"pass","title":"...","evidence":"...","submission":"...","millis":12}
 *   {"event":"summary","role":"tcp-server","submission":"...","score":11,"max":13,"required_passed":6,"required":6,"robust_passed":5,"robust":7,"skipped":0,"passed":true}
 * </pre>
 */
final class JsonReport {
    private JsonReport() {}

    static void write(List<SubmissionReport> reports, PrintWriter out) {
        StringBuilder line = new StringBuilder(512);
        for (SubmissionReport report : reports) {
            String role = "";
            for (Outcome outcome : report.outcomes()) {
                CaseInfo info = outcome.info();
                role = info.role().label();
                line.setLength(0);
                line.append("{\"event\":\"case\"");
                Console.appendJsonField(line, "role", role);
                Console.appendJsonField(line, "case", info.id());
                Console.appendJsonField(line, "class", info.kind().label());
                Console.appendJsonField(line, "verdict", outcome.verdict().label());
                Console.appendJsonField(line, "title", info.title());
                Console.appendJsonField(line, "evidence", outcome.evidence());
                Console.appendJsonField(line, "submission", report.submission());
                line.append(",\"millis\":").append(outcome.took().toMillis()).append('}');
                out.println(line);
            }
            Score score = Score.of(report);
            line.setLength(0);
            line.append("{\"event\":\"summary\"");
            Console.appendJsonField(line, "role", role);
            Console.appendJsonField(line, "submission", report.submission());
            line.append(",\"score\":").append(score.passed()).append(",\"max\":").append(score.ran())
                    .append(",\"required_passed\":").append(score.requiredPassed())
                    .append(",\"required\":").append(score.required())
                    .append(",\"robust_passed\":").append(score.robustPassed())
                    .append(",\"robust\":").append(score.robust())
                    .append(",\"skipped\":").append(score.skipped())
                    .append(",\"passed\":").append(report.passed());
            Console.appendJsonField(line, "note", report.note());
            out.println(line.append('}'));
        }
        out.flush();
    }
}
