package lab.sockets.load;

import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.Failure;
import lab.sockets.Protocol;

import java.io.IOException;
import java.time.Duration;

import static lab.sockets.DurationConverter.format;

/**
 * {@code sockets udp-load}: keeps datagrams in flight against a udp-server.
 * <pre>
 *   $ sockets udp-load --port 5005 --in-flight 64 --duration 10s
 *   15:55:00.001  udp-load: 64 datagrams in flight for 10s against localhost port 5005
 *   15:55:01.002    1 s: 61,034 answered (61,034/s), 0 lost                                  (stderr, each second)
 *   ...
 *   15:55:10.003  datagrams: 612,345 answered in 10.0 s, 61,234/s
 *   15:55:10.003  round trip: p50 0.98 ms, p99 2.10 ms, max 14.2 ms
 *   15:55:10.003  loss: 0 of 612,409 sent (0.000%) had no reply within 1s; 64 still in flight at the end
 *   15:55:10.003  errors: none
 * </pre>
 */
public final class UdpLoadCommand extends LoadCommand {
    public UdpLoadCommand() {
        super("udp-load", Protocol.DEFAULT_UDP_PORT, "The server's UDP port.",
                "Keep many datagrams in flight against a UDP server; report datagrams/s, loss, round trips.",
                "Works against any server answering \"data received\": ours, the slides' Python one, a student's own.");
    }

    private final Value<Integer> inFlight = number("--in-flight", "K", 1, UdpLoadSettings.MAX_IN_FLIGHT, UdpLoadSettings.DEFAULT_IN_FLIGHT,
            "Datagrams kept outstanding: a new one goes as each reply comes.");
    private final Value<Duration> duration = positiveDuration("--duration", "10s", MAX_DURATION, "How long to run" + AT_MOST);
    private final Value<Duration> timeout = positiveDuration("--timeout", "1s", MAX_DURATION,
            "A datagram with no reply after this long is counted as lost.");
    private final ConsoleOptions output = new ConsoleOptions(this);

    @Override
    public Integer call() throws IOException {
        int inFlight = this.inFlight.get();

        output.refuseExplain();
        Console console = output.console(true);
        UdpLoadSettings settings = new UdpLoadSettings(server(), inFlight, duration.get(), timeout.get());
        console.event("start", null, "udp-load: " + inFlight + " datagrams in flight for " + format(duration.get())
                + " against " + target());
        UdpLoadResult result = UdpLoad.run(settings, progress(console));
        SummaryLine.print(result.lines(), console);
        if (result.answered() == 0) {
            throw new Failure("no datagram was answered with \"data received\": is a udp-server running on "
                    + target() + "?");
        }
        return 0;
    }
}
