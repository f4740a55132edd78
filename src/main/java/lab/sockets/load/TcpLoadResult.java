package lab.sockets.load;

import lab.sockets.load.TcpLoadStats.Problem;
import lab.sockets.load.TcpLoadStats.Reply;
import lab.sockets.load.TcpLoadStats.Waiting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static lab.sockets.DurationConverter.format;
import static lab.sockets.DurationConverter.ms;
import static lab.sockets.DurationConverter.seconds;

/**
 * What a {@link TcpLoad} run measured (its loops' {@link TcpLoadStats} added up), and the summary lines that
 * say it: conversations (or, held, how many were prompted and served), latency, replies, errors, and who was
 * still waiting at the end. A server that refuses our IDs (e.g. with {@code --id-pattern}) answers
 * {@code ID not recorded: ...}: those conversations are counted as refused, not as errors, and the replies
 * line says how many only when there were some.
 */
public final class TcpLoadResult {
    private final TcpLoadSettings settings;
    private final TcpLoadStats stats;
    /** Hold mode: connections that got their prompt. */
    private final long prompted;
    /** Hold mode: how long it took to get them all prompted; none in the closed loop. */
    private final long connectNanos;
    /** How long conversations were served: the whole closed loop, or the hold mode's answering phase. */
    private final long serveNanos;

    private TcpLoadResult(TcpLoadSettings settings, TcpLoadStats stats, long prompted, long connectNanos, long serveNanos) {
        this.settings = settings;
        this.stats = stats;
        this.prompted = prompted;
        this.connectNanos = connectNanos;
        this.serveNanos = serveNanos;
    }

    static TcpLoadResult closedLoop(TcpLoadSettings settings, long elapsedNanos, TcpLoadStats stats) {
        return new TcpLoadResult(settings, stats, 0, 0, elapsedNanos);
    }

    static TcpLoadResult hold(TcpLoadSettings settings, long prompted, long connectNanos, long serveNanos,
                              TcpLoadStats stats) {
        return new TcpLoadResult(settings, stats, prompted, connectNanos, serveNanos);
    }

    /** Conversations that ended as the protocol says: the server closed after our ID. */
    public long served() {
        return stats.served();
    }

    public double perSecond() {
        long elapsedNanos = connectNanos + serveNanos;
        return elapsedNanos <= 0 ? 0 : served() * 1e9 / elapsedNanos;
    }

    public long errors() {
        return stats.errors();
    }

    public long errors(Problem problem) {
        return stats.errors(problem);
    }

    /** Replies that were exactly {@code ID received: <the ID, upper-cased>\n}. */
    public long acknowledged() {
        return stats.replies(Reply.ACKNOWLEDGED);
    }

    /** Replies that said our ID was not recorded ({@code ID not recorded: ...}): served, but refused. */
    public long refused() {
        return stats.replies(Reply.REFUSED);
    }

    /** Replies with other bytes (the reference servers send back just the ID). */
    public long otherReplies() {
        return stats.replies(Reply.OTHER);
    }

    /** Conversations where the server closed without a word after the ID (the slides' server). */
    public long noReplies() {
        return stats.replies(Reply.NONE);
    }

    /** Clients in the middle of a conversation when the run ended. */
    public long stillWaiting() {
        return stats.stillWaiting();
    }

    /** Hold mode: connections that got their prompt, i.e. were accepted by the server. */
    public long prompted() {
        return prompted;
    }

    /** The summary, line by line. */
    public List<SummaryLine> lines() {
        List<SummaryLine> lines = new ArrayList<>();
        long served = served();
        if (settings.hold()) {
            lines.add(new SummaryLine("held", String.format(Locale.ROOT, "held: %,d of %,d connected and prompted in %.2f s",
                    prompted, settings.clients(), connectNanos / 1e9),
                    "prompted", String.valueOf(prompted), "connect_s", seconds(connectNanos)));
            lines.add(new SummaryLine("served", String.format(Locale.ROOT,
                    "served: %,d of %,d, all answering at once after %s of silence, in %.2f s",
                    served, prompted, format(settings.holdFor()), serveNanos / 1e9),
                    "served", String.valueOf(served), "serve_s", seconds(serveNanos)));
        } else {
            lines.add(new SummaryLine("conversations", String.format(Locale.ROOT, "conversations: %,d in %.1f s, %,.0f/s",
                    served, serveNanos / 1e9, perSecond()),
                    "conversations", String.valueOf(served), "seconds", seconds(serveNanos),
                    "per_second", String.format(Locale.ROOT, "%.1f", perSecond())));
        }
        Latencies latencies = stats.latencies();
        lines.add(new SummaryLine("latency", (settings.hold() ? "latency, ID to close: " : "latency, connect to close: ")
                + latencies.summary(),
                "p50_ms", ms(latencies.percentileMicros(0.50)), "p99_ms", ms(latencies.percentileMicros(0.99)),
                "max_ms", ms(latencies.maxMicros())));
        lines.add(repliesLine());
        lines.add(errorLine());
        if (!settings.hold()) {
            long oldestWaitMicros = stats.oldestWaitNanos() / 1000;
            lines.add(new SummaryLine("waiting", String.format(Locale.ROOT,
                    "still waiting at the end: %,d (connecting %,d, for the prompt %,d, for the reply %,d), the longest for %s",
                    stillWaiting(), stats.waiting(Waiting.CONNECTING), stats.waiting(Waiting.PROMPT),
                    stats.waiting(Waiting.REPLY), Latencies.millis(oldestWaitMicros)),
                    "waiting", String.valueOf(stillWaiting()), "oldest_wait_ms", ms(oldestWaitMicros)));
        }
        return lines;
    }

    /** How the server answered; refusals are shown only when there were some, as they are not the usual case. */
    private SummaryLine repliesLine() {
        String text = String.format(Locale.ROOT, "replies: %,d \"ID received: <ID>\", %,d other, %,d none",
                acknowledged(), otherReplies(), noReplies());
        List<String> fields = new ArrayList<>(List.of("acknowledged", String.valueOf(acknowledged()),
                "other_replies", String.valueOf(otherReplies()), "no_replies", String.valueOf(noReplies())));
        if (refused() > 0) {
            text += String.format(Locale.ROOT, ", %,d refused \"ID not recorded: ...\"", refused());
            fields.addAll(List.of("refused", String.valueOf(refused())));
        }
        return new SummaryLine("replies", text, fields.toArray(new String[0]));
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
                long n = errors(problem);
                if (n > 0) {
                    text.append(separator).append(problem.label).append(String.format(Locale.ROOT, " %,d", n));
                    separator = ", ";
                }
            }
            text.append(')');
            if (stats.firstOther() != null) {
                text.append("; other was first: ").append(stats.firstOther());
            }
        }
        for (Problem problem : Problem.values()) {
            fields.add(problem.label.replace(' ', '_'));
            fields.add(String.valueOf(errors(problem)));
        }
        return new SummaryLine("errors", text.toString(), fields.toArray(new String[0]));
    }
}
