package lab.sockets.load;

import java.util.Locale;

/**
 * How long conversations (or round trips) took, kept as counts in buckets rather than as a list, so that a
 * run of millions costs the same few kilobytes as a run of ten. Below 64 µs every microsecond has its own
 * bucket; above, each doubling is cut into 32 buckets, so a percentile is within about 3% of the truth
 * (HdrHistogram's idea, in a few lines). The maximum is kept exactly.
 *
 * <p>Not thread-safe: each load thread keeps its own and they are {@link #add added} up at the end.
 */
final class Latencies {
    private static final int SUB_BUCKETS = 32;
    private static final int SUB_BITS = 5;   // 2^5 = SUB_BUCKETS
    private final long[] counts = new long[(64 - SUB_BITS) * SUB_BUCKETS + 2 * SUB_BUCKETS];
    private long count;
    private long maxMicros;

    void record(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        counts[index(micros)]++;
        count++;
        maxMicros = Math.max(maxMicros, micros);
    }

    void add(Latencies other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        maxMicros = Math.max(maxMicros, other.maxMicros);
    }

    long count() {
        return count;
    }

    /** The latency that {@code fraction} of all (0.5 for the median, 0.99 for p99) are at or below, in µs. */
    long percentileMicros(double fraction) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * count));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), maxMicros);
            }
        }
        return maxMicros;
    }

    long maxMicros() {
        return maxMicros;
    }

    /** {@code p50 1.23 ms, p99 4.56 ms, max 12.3 ms}, or a dash when nothing was measured. */
    String summary() {
        if (count == 0) {
            return "none measured";
        }
        return "p50 " + millis(percentileMicros(0.50)) + ", p99 " + millis(percentileMicros(0.99))
                + ", max " + millis(maxMicros);
    }

    static String millis(long micros) {
        return String.format(Locale.ROOT, micros < 10_000 ? "%.2f ms" : "%,.1f ms", micros / 1000.0);
    }

    /** 0..63 stand for themselves; above, the top 6 bits of the value pick the bucket within its doubling. */
    private static int index(long micros) {
        if (micros < 2 * SUB_BUCKETS) {
            return (int) micros;
        }
        int shift = 63 - Long.numberOfLeadingZeros(micros) - SUB_BITS;
        return shift * SUB_BUCKETS + (int) (micros >>> shift);
    }

    /** The largest value that falls in bucket {@code index}. */
    private static long upperBound(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long mantissa = index - (long) shift * SUB_BUCKETS;
        return ((mantissa + 1) << shift) - 1;
    }
}
