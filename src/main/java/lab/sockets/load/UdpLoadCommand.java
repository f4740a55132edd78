package lab.sockets.load;

import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.DurationConverter;
import lab.sockets.Failure;
import lab.sockets.PortConverter;
import lab.sockets.Protocol;
import lab.sockets.Sockets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

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
@Command(name = "udp-load", mixinStandardHelpOptions = true, versionProvider = Sockets.Version.class,
        description = {"Keep many datagrams in flight against a UDP server; report datagrams/s, loss, round trips.",
                "Works against any server answering \"data received\": ours, the slides' Python one, a student's own."},
        sortOptions = false, showDefaultValues = true)
public final class UdpLoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost", description = "The server: a name or an address.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.Remote.class, defaultValue = "" + Protocol.DEFAULT_UDP_PORT, description = "The server's UDP port.")
    int port;

    @Option(names = "--in-flight", defaultValue = "" + UdpLoad.DEFAULT_IN_FLIGHT, paramLabel = "K",
            description = "Datagrams kept outstanding: a new one goes as each reply comes.")
    int inFlight;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long to run (at most 10m).")
    Duration duration;

    @Option(names = "--timeout", defaultValue = "1s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "A datagram with no reply after this long is counted as lost.")
    Duration timeout;

    @Mixin
    ConsoleOptions output;

    @Override
    public Integer call() throws IOException {
        check(inFlight >= 1 && inFlight <= UdpLoad.MAX_IN_FLIGHT, "--in-flight must be between 1 and " + UdpLoad.MAX_IN_FLIGHT);
        check(!duration.isZero() && duration.compareTo(TcpLoadCommand.MAX_DURATION) <= 0,
                "--duration must be above 0 and at most 10m");
        check(!timeout.isZero() && timeout.compareTo(TcpLoadCommand.MAX_DURATION) <= 0,
                "--timeout must be above 0 and at most 10m");

        output.refuseExplain();
        Console console = output.console(true);
        PrintWriter err = spec.commandLine().getErr();
        Console progress = new Console(err, err, console.json(), true);   // progress on stderr, results on stdout
        InetSocketAddress server = new InetSocketAddress(ConsoleOptions.resolve(host), port);
        console.event("start", null, "udp-load: " + inFlight + " datagrams in flight for " + TcpLoad.describe(duration)
                + " against " + host + " port " + port);
        UdpLoad.Result result = UdpLoad.run(new UdpLoad.Settings(server, inFlight, duration, timeout), progress);
        SummaryLine.print(result.lines(), console);
        if (result.answered() == 0) {
            throw new Failure("no datagram was answered with \"data received\": is a udp-server running on "
                    + host + " port " + port + "?");
        }
        return 0;
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
