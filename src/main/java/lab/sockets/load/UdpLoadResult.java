package lab.sockets.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static lab.sockets.DurationConverter.format;
import static lab.sockets.DurationConverter.ms;
import static lab.sockets.DurationConverter.seconds;

/**
 * What a {@link UdpLoad} run measured (its {@link UdpLoadStats}), and the summary lines that say it:
 * datagrams answered, round trips, loss, errors.
 */
public final class UdpLoadResult {
    private final UdpLoadSettings settings;
    private final long elapsedNanos;
    private final UdpLoadStats stats;

    UdpLoadResult(UdpLoadSettings settings, long elapsedNanos, UdpLoadStats stats) {
        this.settings = settings;
        this.elapsedNanos = elapsedNanos;
        this.stats = stats;
    }

    /** Datagrams answered with exactly {@code data received}. */
    public long answered() {
        return stats.answered;
    }

    public long sent() {
        return stats.sent;
    }

    public long lost() {
        return stats.lost;
    }

    public long wrongReplies() {
        return stats.wrongReplies;
    }

    public long refused() {
        return stats.refused;
    }

    public double perSecond() {
        return elapsedNanos <= 0 ? 0 : stats.answered * 1e9 / elapsedNanos;
    }

    /** Lost datagrams as a share of those whose fate is known (not still in flight at the end). */
    public double lossPercent() {
        long settled = stats.sent - stats.inFlightAtEnd;
        return settled <= 0 ? 0 : 100.0 * stats.lost / settled;
    }

    public List<SummaryLine> lines() {
        List<SummaryLine> lines = new ArrayList<>();
        lines.add(new SummaryLine("datagrams", String.format(Locale.ROOT, "datagrams: %,d answered in %.1f s, %,.0f/s",
                stats.answered, elapsedNanos / 1e9, perSecond()),
                "answered", String.valueOf(stats.answered), "seconds", seconds(elapsedNanos),
                "per_second", String.format(Locale.ROOT, "%.1f", perSecond())));
        Latencies roundTrips = stats.roundTrips;
        lines.add(new SummaryLine("round-trip", "round trip: " + roundTrips.summary(),
                "p50_ms", ms(roundTrips.percentileMicros(0.50)), "p99_ms", ms(roundTrips.percentileMicros(0.99)),
                "max_ms", ms(roundTrips.maxMicros())));
        lines.add(new SummaryLine("loss", String.format(Locale.ROOT,
                "loss: %,d of %,d sent (%.3f%%) had no reply within %s; %,d still in flight at the end",
                stats.lost, stats.sent, lossPercent(), format(settings.timeout()), stats.inFlightAtEnd),
                "sent", String.valueOf(stats.sent), "lost", String.valueOf(stats.lost),
                "loss_percent", String.format(Locale.ROOT, "%.3f", lossPercent())));
        long errors = stats.wrongReplies + stats.refused + stats.lateReplies;
        lines.add(new SummaryLine("errors", errors == 0 ? "errors: none" : String.format(Locale.ROOT,
                "errors: %,d (not exactly \"data received\" %,d, refused %,d, late replies %,d)",
                errors, stats.wrongReplies, stats.refused, stats.lateReplies),
                "errors", String.valueOf(errors), "wrong_reply", String.valueOf(stats.wrongReplies),
                "refused", String.valueOf(stats.refused), "late", String.valueOf(stats.lateReplies)));
        return lines;
    }
}
