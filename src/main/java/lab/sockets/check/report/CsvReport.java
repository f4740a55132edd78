package lab.sockets.check.report;

import lab.sockets.check.SubmissionReport;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * {@code --csv FILE}: one row per submission, for a grade book.
 * <pre>
 *   directory,score,maximum,failed
 *   submissions/alice/,48,52,tcp-server/concurrent udp-server/loop-dos ...
 * </pre>
 * {@code failed} lists the cases that did not pass (failed, or warned: a robust case without {@code --strict}),
 * separated by spaces. RFC 4180: rows end with CRLF, a cell holding a comma, quote or line break is quoted.
 * Directory names come from students: a cell that a spreadsheet would run as a formula (one starting with
 * {@code = + - @}, a tab or a carriage return) gets a leading {@code '}, as OWASP's CSV-injection advice says.
 */
public final class CsvReport {
    private CsvReport() {}

    public static void write(List<SubmissionReport> reports, Writer out) throws IOException {
        row(out, "directory", "score", "maximum", "failed");
        for (SubmissionReport row : Rows.merged(reports)) {
            row(out, row.submission(), String.valueOf(row.score()), String.valueOf(row.maxScore()),
                    String.join(" ", row.notPassed()));
        }
    }

    private static void row(Writer out, String... cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            out.write(i == 0 ? "" : ",");
            out.write(cell(cells[i]));
        }
        out.write("\r\n");
    }

    /** One cell: neutralised if a spreadsheet would take it for a formula, then quoted if it must be. */
    static String cell(String text) {
        String safe = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        boolean quote = safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0
                || safe.indexOf('\r') >= 0;
        return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
    }
}
