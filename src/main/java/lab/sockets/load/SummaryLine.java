package lab.sockets.load;

import lab.sockets.Console;

import java.util.List;

/** One line of a load run's summary, with the same figures as JSON fields for scripts ({@code --json}). */
public record SummaryLine(String event, String text, String... fields) {
    /** The summary on stdout, one event line each. */
    static void print(List<SummaryLine> lines, Console console) {
        for (SummaryLine line : lines) {
            console.event(line.event(), null, line.text(), (Object[]) line.fields());
        }
    }
}
