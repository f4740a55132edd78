package lab.sockets.check.report;

import lab.sockets.check.CaseInfo;
import lab.sockets.check.Outcome;
import lab.sockets.check.SubmissionReport;
import lab.sockets.check.Verdict;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --html FILE}: one page for a whole class, a matrix of submissions (rows) by cases (columns), each
 * cell coloured by its verdict. Clicking a cell opens its evidence: a {@code <details>} element, so the page
 * needs no script. It is self-contained (inline CSS, no network, no other file), and every string on it is
 * escaped: what a student's program printed is shown as text, never read as markup.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /**
     * How a verdict looks on the page, in its cells and in the legend: a colour, and a mark, for those who
     * cannot see colours.
     */
    private record Look(String mark, String colour) {
        static Look of(Verdict verdict) {
            return switch (verdict) {
                case PASS -> new Look("\u2713", "#c8e6c9");
                case FAIL -> new Look("\u2717", "#ef9a9a");
                case WARN -> new Look("!", "#ffe082");
                case SKIP -> new Look("\u2013", "#e0e0e0");
            };
        }

        /** The style of every verdict's cells: {@code td.pass{background:#c8e6c9}td.fail{...}...}. */
        static String cells() {
            StringBuilder css = new StringBuilder();
            for (Verdict verdict : Verdict.values()) {
                css.append("td.").append(verdict.label()).append("{background:").append(of(verdict).colour()).append('}');
            }
            return css.toString();
        }
    }

    private static final String STYLE = String.join("\n",
            "body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}",
            "h1{font-size:1.3em}",
            "table{border-collapse:collapse}",
            "th,td{border:1px solid #ccc;padding:0}",
            "th{background:#f4f4f4;font-weight:600;padding:2px 4px}",
            "th.case{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:400;"
                    + "max-height:16em;text-align:left}",
            "th.sub{text-align:left;max-width:22em;overflow-wrap:anywhere}",
            "td.score{padding:2px 6px;text-align:right;white-space:nowrap}",
            Look.cells(),
            "td details{position:relative}",
            "td summary{list-style:none;cursor:pointer;text-align:center;min-width:1.6em;padding:2px 0}",
            "td summary::-webkit-details-marker{display:none}",
            "td details[open]>div{position:absolute;z-index:1;left:0;top:100%;width:46em;background:#fff;"
                    + "border:1px solid #888;box-shadow:2px 2px 6px #0004;padding:6px 8px}",
            "pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0 0;font-size:12px}",
            ".legend span{display:inline-block;padding:1px 8px;margin-right:6px;border:1px solid #ccc}",
            ".note{color:#555;font-size:12px}");

    public static void write(List<SubmissionReport> reports, Writer out) throws IOException {
        List<SubmissionReport> rows = Rows.merged(reports);
        Map<String, CaseInfo> cases = columns(rows);
        StringBuilder page = new StringBuilder(64 * 1024);
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>sockets check: ").append(rows.size()).append(rows.size() == 1 ? " submission" : " submissions")
                .append("</title>\n<style>\n").append(STYLE).append("\n</style></head><body>\n")
                .append("<h1>sockets check: ").append(rows.size()).append(rows.size() == 1 ? " submission, " : " submissions, ")
                .append(cases.size()).append(" cases</h1>\n");
        legend(page, rows);
        page.append("<table id=\"matrix\">\n<thead>\n");
        roleHeader(page, cases);
        page.append("<tr><th>submission</th><th>score</th>");
        for (CaseInfo info : cases.values()) {
            String name = info.id().substring(info.id().indexOf('/') + 1);
            page.append("<th class=\"case\" title=\"").append(Xml.attribute(info.id() + " (" + info.kind().label()
                    + "): " + info.title())).append("\">").append(Xml.text(name)).append("</th>");
        }
        page.append("</tr>\n</thead>\n<tbody>\n");
        for (SubmissionReport row : rows) {
            row(page, row, cases);
        }
        page.append("</tbody>\n</table>\n");
        notes(page, rows);
        page.append("</body></html>\n");
        out.write(page.toString());
    }

    /** Every case some submission ran, in the order first seen (the catalogue's order), by ID. */
    private static Map<String, CaseInfo> columns(List<SubmissionReport> rows) {
        Map<String, CaseInfo> cases = new LinkedHashMap<>();
        for (SubmissionReport row : rows) {
            for (Outcome outcome : row.outcomes()) {
                cases.putIfAbsent(outcome.info().id(), outcome.info());
            }
        }
        return cases;
    }

    private static void legend(StringBuilder page, List<SubmissionReport> rows) {
        int[] counts = new int[Verdict.values().length];
        for (SubmissionReport row : rows) {
            for (Outcome outcome : row.outcomes()) {
                counts[outcome.verdict().ordinal()]++;
            }
        }
        page.append("<p class=\"legend\">");
        for (Verdict verdict : Verdict.values()) {
            Look look = Look.of(verdict);
            page.append("<span class=\"").append(verdict.label()).append("\" style=\"background:")
                    .append(look.colour()).append("\">").append(look.mark()).append(' ').append(verdict.label())
                    .append(": ").append(counts[verdict.ordinal()]).append("</span>");
        }
        page.append(" Click a cell for its evidence.</p>\n");
    }

    /** A first header row naming each role over its cases, when the page has more than one role. */
    private static void roleHeader(StringBuilder page, Map<String, CaseInfo> cases) {
        List<String> roles = new ArrayList<>();
        List<Integer> spans = new ArrayList<>();
        for (CaseInfo info : cases.values()) {
            String role = info.role().label();
            if (roles.isEmpty() || !roles.get(roles.size() - 1).equals(role)) {
                roles.add(role);
                spans.add(0);
            }
            spans.set(spans.size() - 1, spans.get(spans.size() - 1) + 1);
        }
        page.append("<tr><th colspan=\"2\"></th>");
        for (int i = 0; i < roles.size(); i++) {
            page.append("<th colspan=\"").append(spans.get(i)).append("\">").append(roles.get(i)).append("</th>");
        }
        page.append("</tr>\n");
    }

    private static void row(StringBuilder page, SubmissionReport row, Map<String, CaseInfo> cases) {
        Map<String, Outcome> byCase = new LinkedHashMap<>();
        for (Outcome outcome : row.outcomes()) {
            byCase.put(outcome.info().id(), outcome);
        }
        page.append("<tr><th class=\"sub\">").append(Xml.text(row.submission())).append("</th><td class=\"score\">")
                .append(row.score()).append('/').append(row.maxScore()).append("</td>");
        for (String id : cases.keySet()) {
            Outcome outcome = byCase.get(id);
            if (outcome == null) {
                page.append("<td></td>");
                continue;
            }
            Verdict verdict = outcome.verdict();
            String evidence = outcome.evidence().isEmpty() ? "(no evidence: the case passed)" : outcome.evidence();
            page.append("<td class=\"").append(verdict.label()).append("\"><details><summary title=\"")
                    .append(Xml.attribute(id + ": " + verdict.label())).append("\">").append(Look.of(verdict).mark())
                    .append("</summary><div><b>").append(Xml.text(id)).append("</b> ").append(verdict.label())
                    .append(", ").append(outcome.took().toMillis()).append(" ms: ").append(Xml.text(outcome.info().title()))
                    .append("<pre>").append(Xml.text(evidence)).append("</pre></div></details></td>");
        }
        page.append("</tr>\n");
    }

    private static void notes(StringBuilder page, List<SubmissionReport> rows) {
        List<String> notes = new ArrayList<>();
        for (SubmissionReport row : rows) {
            for (String note : row.note().split("; ")) {
                if (!note.isEmpty() && !notes.contains(note)) {
                    notes.add(note);
                }
            }
        }
        for (String note : notes) {
            page.append("<p class=\"note\">").append(Xml.text(note)).append("</p>\n");
        }
    }
}
