package lab.sockets.load;

import lab.sockets.load.TcpLoad.Problem;
import lab.sockets.load.TcpLoad.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link TcpLoad} run measured, added up over its threads, and the summary lines that say it:
 * <pre>
 *   conversations: 201,234 in 10.0 s, 20,123/s
 *   latency, connect to close: p50 8.10 ms, p99 21.0 ms, max 1,034.2 ms
 *   replies: 201,234 "ID received: &lt;ID&gt;", 0 other, 0 none
 *   errors: none
 *   still waiting at the end: 200 (connecting 0, for the prompt 0, for the reply 200), the longest for 9.12 ms
 * </pre>
 */
public final class TcpLoadResult {
    private final TcpLoad.Settings settings;
    private final long elapsedNanos;
    private final long prompted;
    private final long connectNanos;
    private final long serveNanos;
    private final Latencies latencies = new Latencies();
    private final long[] problems = new long[Problem.values().length];
    private final long[] waiting = new long[Stage.values().length];
    private String firstOther;
    private long served;
    private long acknowledged;
    private long otherReplies;
    private long noReplies;
    private long oldestWaitNanos;

    private TcpLoadResult(TcpLoad.Settings settings, long elapsedNanos, long prompted, long connectNanos,
                          long serveNanos, List<TcpLoad.Loop> loops) {
        this.settings = settings;
        this.elapsedNanos = elapsedNanos;
        this.prompted = prompted;
        this.connectNanos = connectNanos;
        this.serveNanos = serveNanos;
        for (TcpLoad.Loop loop : loops) {
            latencies.add(loop.latencies);
            for (int i = 0; i < problems.length; i++) {
                problems[i] += loop.problems[i];
            }
            for (int i = 0; i < waiting.length; i++) {
                waiting[i] += loop.waiting[i];
            }
            if (firstOther == null) {
                firstOther = loop.firstOther;
            }
            served += loop.completed.get();
            acknowledged += loop.acknowledged;
            otherReplies += loop.otherReplies;
            noReplies += loop.noReplies;
            oldestWaitNanos = Math.max(oldestWaitNanos, loop.oldestWaitNanos);
        }
    }

    static TcpLoadResult closedLoop(TcpLoad.Settings settings, long elapsedNanos, List<TcpLoad.Loop> loops) {
        return new TcpLoadResult(settings, elapsedNanos, 0, 0, 0, loops);
    }

    static TcpLoadResult hold(TcpLoad.Settings settings, long prompted, long connectNanos, long serveNanos,
                              List<TcpLoad.Loop> loops) {
        return new TcpLoadResult(settings, connectNanos + serveNanos, prompted, connectNanos, serveNanos, loops);
    }

    /** Conversations that ended as the protocol says: the server closed after our ID. */
    public long served() {
        return served;
    }

    public double perSecond() {
        return elapsedNanos <= 0 ? 0 : served * 1e9 / elapsedNanos;
    }

    public long errors() {
        long total = 0;
        for (long n : problems) {
            total += n;
        }
        return total;
    }

    public long errors(Problem problem) {
        return problems[problem.ordinal()];
    }

    /** Replies that were exactly {@code ID received: <the ID, upper-cased>\n}. */
    public long acknowledged() {
        return acknowledged;
    }

    /** Replies with other bytes (the reference servers send back just the ID). */
    public long otherReplies() {
        return otherReplies;
    }

    /** Conversations where the server closed without a word after the ID (the slides' server). */
    public long noReplies() {
        return noReplies;
    }

    /** Clients in the middle of a conversation when the run ended. */
    public long stillWaiting() {
        long total = 0;
        for (long n : waiting) {
            total += n;
        }
        return total;
    }

    /** Hold mode: connections that got their prompt, i.e. were accepted by the server. */
    public long prompted() {
        return prompted;
    }

    /** The summary, line by line. */
    public List<SummaryLine> lines() {
        List<SummaryLine> lines = new ArrayList<>();
        if (settings.hold()) {
            lines.add(new SummaryLine("held", String.format(Locale.ROOT, "held: %,d of %,d connected and prompted in %.2f s",
                    prompted, settings.clients(), connectNanos / 1e9),
                    "prompted", String.valueOf(prompted), "connect_s", seconds(connectNanos)));
            lines.add(new SummaryLine("served", String.format(Locale.ROOT,
                    "served: %,d of %,d, all answering at once after %s of silence, in %.2f s",
                    served, prompted, TcpLoad.describe(settings.holdFor()), serveNanos / 1e9),
                    "served", String.valueOf(served), "serve_s", seconds(serveNanos)));
        } else {
            lines.add(new SummaryLine("conversations", String.format(Locale.ROOT, "conversations: %,d in %.1f s, %,.0f/s",
                    served, elapsedNanos / 1e9, perSecond()),
                    "conversations", String.valueOf(served), "seconds", seconds(elapsedNanos),
                    "per_second", String.format(Locale.ROOT, "%.1f", perSecond())));
        }
        lines.add(new SummaryLine("latency", (settings.hold() ? "latency, ID to close: " : "latency, connect to close: ")
                + latencies.summary(),
                "p50_ms", ms(latencies.percentileMicros(0.50)), "p99_ms", ms(latencies.percentileMicros(0.99)),
                "max_ms", ms(latencies.maxMicros())));
        lines.add(new SummaryLine("replies", String.format(Locale.ROOT, "replies: %,d \"ID received: <ID>\", %,d other, %,d none",
                acknowledged, otherReplies, noReplies),
                "acknowledged", String.valueOf(acknowledged), "other_replies", String.valueOf(otherReplies),
                "no_replies", String.valueOf(noReplies)));
        lines.add(errorLine());
        if (!settings.hold()) {
            lines.add(new SummaryLine("waiting", String.format(Locale.ROOT,
                    "still waiting at the end: %,d (connecting %,d, for the prompt %,d, for the reply %,d), the longest for %s",
                    stillWaiting(), waiting[Stage.CONNECTING.ordinal()], waiting[Stage.PROMPT.ordinal()],
                    waiting[Stage.REPLY.ordinal()], Latencies.millis(oldestWaitNanos / 1000)),
                    "waiting", String.valueOf(stillWaiting()), "oldest_wait_ms", ms(oldestWaitNanos / 1000)));
        }
        return lines;
    }

    private SummaryLine errorLine() {
        List<String> fields = new ArrayList<>(List.of("errors", String.valueOf(errors())));
        StringBuilder text = new StringBuilder("errors: ");
        if (errors() == 0) {
            text.append("none");
        } else {
            text.append(String.format(Locale.ROOT, "%,d (", errors()));
            String separator = "";
            for (Problem problem : Problem.values()) {
                long n = problems[problem.ordinal()];
                if (n > 0) {
                    text.append(separator).append(problem.label).append(String.format(Locale.ROOT, " %,d", n));
                    separator = ", ";
                }
            }
            text.append(')');
            if (firstOther != null) {
                text.append("; other was first: ").append(firstOther);
            }
        }
        for (Problem problem : Problem.values()) {
            fields.add(problem.label.replace(' ', '_'));
            fields.add(String.valueOf(problems[problem.ordinal()]));
        }
        return new SummaryLine("errors", text.toString(), fields.toArray(new String[0]));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }
}
