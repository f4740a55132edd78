package lab.sockets.load;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The histogram behind the p50/p99 figures, without sockets. */
@Tag("fast")
class LatenciesTest {
    @Test
    void smallValuesAreExactAndLargeOnesWithinThreePercent() {
        Latencies latencies = new Latencies();
        for (long micros = 1; micros <= 100_000; micros++) {
            latencies.record(micros * 1000);
        }
        assertEquals(100_000, latencies.count());
        assertEquals(100_000, latencies.maxMicros());
        long p50 = latencies.percentileMicros(0.50);
        long p99 = latencies.percentileMicros(0.99);
        assertTrue(Math.abs(p50 - 50_000) <= 50_000 * 0.03, "p50 " + p50);
        assertTrue(Math.abs(p99 - 99_000) <= 99_000 * 0.03, "p99 " + p99);

        Latencies small = new Latencies();
        small.record(7_000);
        small.record(9_000);
        assertEquals(7, small.percentileMicros(0.50));
        assertEquals(9, small.percentileMicros(0.99));
    }

    @Test
    void threadsAddUp() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        a.record(1_000_000);
        b.record(3_000_000);
        a.add(b);
        assertEquals(2, a.count());
        assertEquals(3_000, a.maxMicros());
        assertEquals("none measured", new Latencies().summary());
    }
}
