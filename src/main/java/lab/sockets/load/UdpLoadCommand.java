package lab.sockets.load;

import lab.sockets.Addresses;
import lab.sockets.Command;
import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.Failure;
import lab.sockets.Protocol;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * {@code sockets udp-load}: keeps datagrams in flight against a udp-server.
 * <pre>
 *   $ sockets udp-load --port 5005 --in-flight 64 --duration 10s
 *   15:55:00.001  udp-load: 64 datagrams in flight for 10 s against localhost port 5005
 *   15:55:01.002    1 s: 61,034 answered (61,034/s), 0 lost                                  (stderr, each second)
 *   ...
 *   15:55:10.003  datagrams: 612,345 answered in 10.0 s, 61,234/s
 *   15:55:10.003  round trip: p50 0.98 ms, p99 2.10 ms, max 14.2 ms
 *   15:55:10.003  loss: 0 of 612,409 sent (0.000%) had no reply within 1 s; 64 still in flight at the end
 *   15:55:10.003  errors: none
 * </pre>
 */
public final class UdpLoadCommand extends Command {
    public UdpLoadCommand() {
        super("udp-load", "Keep many datagrams in flight against a UDP server; report datagrams/s, loss, round trips.",
                "Works against any server answering \"data received\": ours, the slides' Python one, a student's own.");
    }

    private final Value<String> host = option("--host", "HOST", String.class, "localhost", "The server: a name or an address.");
    private final Value<Integer> port = remotePort("--port", Protocol.DEFAULT_UDP_PORT, "The server's UDP port.");
    private final Value<Integer> inFlight = option("--in-flight", "K", Integer.class, UdpLoad.DEFAULT_IN_FLIGHT,
            "Datagrams kept outstanding: a new one goes as each reply comes.");
    private final Value<Duration> duration = duration("--duration", "10s", "How long to run (at most 10m).");
    private final Value<Duration> timeout = duration("--timeout", "1s",
            "A datagram with no reply after this long is counted as lost.");
    private final ConsoleOptions output = new ConsoleOptions(this);

    @Override
    public Integer call() throws IOException {
        int inFlight = this.inFlight.get();
        Duration duration = this.duration.get();
        Duration timeout = this.timeout.get();
        check(inFlight >= 1 && inFlight <= UdpLoad.MAX_IN_FLIGHT, "--in-flight must be between 1 and " + UdpLoad.MAX_IN_FLIGHT);
        check(!duration.isZero() && duration.compareTo(TcpLoadCommand.MAX_DURATION) <= 0,
                "--duration must be above 0 and at most 10m");
        check(!timeout.isZero() && timeout.compareTo(TcpLoadCommand.MAX_DURATION) <= 0,
                "--timeout must be above 0 and at most 10m");

        output.refuseExplain();
        Console console = output.console(true);
        PrintWriter err = spec.commandLine().getErr();
        Console progress = new Console(err, err, console.json(), true);   // progress on stderr, results on stdout
        InetSocketAddress server = new InetSocketAddress(Addresses.resolve(host.get()), port.get());
        String target = host.get() + " port " + port.get();
        console.event("start", null, "udp-load: " + inFlight + " datagrams in flight for " + TcpLoad.describe(duration)
                + " against " + target);
        UdpLoad.Result result = UdpLoad.run(new UdpLoad.Settings(server, inFlight, duration, timeout), progress);
        SummaryLine.print(result.lines(), console);
        if (result.answered() == 0) {
            throw new Failure("no datagram was answered with \"data received\": is a udp-server running on "
                    + target + "?");
        }
        return 0;
    }
}
