package lab.sockets.web;

/** How many of something happened in each of the last {@link #SECONDS} seconds, by the events' own clock. Not thread-safe. */
final class Rates {
    /** Five minutes: the chart's width. */
    static final int SECONDS = 300;

    private final long[] counts = new long[SECONDS];
    private long newest;   // the second counts[newest % SECONDS] holds; older slots are earlier seconds

    void add(long millis, long n) {
        long second = Math.floorDiv(millis, 1000);
        advanceTo(second);
        if (newest - second < SECONDS) {   // an event a little late, from another thread: still in the window
            counts[(int) Math.floorMod(second, (long) SECONDS)] += n;
        }
    }

    /** Moves the window to {@code second}, clearing the seconds nothing happened in. */
    void advanceTo(long second) {
        if (second <= newest) {
            return;
        }
        for (long s = Math.max(newest + 1, second - SECONDS + 1); s <= second; s++) {
            counts[(int) Math.floorMod(s, (long) SECONDS)] = 0;
        }
        newest = second;
    }

    /** {@code "rates":[...]}, oldest second first, ending with the second before {@code nowMillis} (the last whole one). */
    void appendJson(StringBuilder out, long nowMillis) {
        long last = Math.floorDiv(nowMillis, 1000) - 1;
        advanceTo(last);
        out.append("\"rates\":[");
        for (long s = last - SECONDS + 1; s <= last; s++) {
            if (s > last - SECONDS + 1) {
                out.append(',');
            }
            out.append(newest - s < SECONDS && s <= newest ? counts[(int) Math.floorMod(s, (long) SECONDS)] : 0);
        }
        out.append(']');
    }
}
