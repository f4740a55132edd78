package lab.sockets.load;

import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.DurationConverter;
import lab.sockets.Failure;
import lab.sockets.PortConverter;
import lab.sockets.Protocol;
import lab.sockets.Sockets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
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
 * {@code sockets tcp-load}: "how many students can your server take?"
 * <pre>
 *   $ sockets tcp-load --port 65432 --clients 200 --duration 10s
 *   15:50:00.001  tcp-load: 200 clients in a closed loop for 10 s against localhost port 65432, 2 threads
 *   15:50:01.002    1 s: 19,874 conversations (19,874/s), 0 errors, 200 clients busy       (stderr, each second)
 *   ...
 *   15:50:10.004  conversations: 201,234 in 10.0 s, 20,123/s
 *   15:50:10.004  latency, connect to close: p50 8.10 ms, p99 21.0 ms, max 40.3 ms
 *   15:50:10.004  replies: 201,234 "ID received: &lt;ID&gt;", 0 other, 0 none
 *   15:50:10.004  errors: none
 *   15:50:10.004  still waiting at the end: 200 (connecting 0, for the prompt 0, for the reply 200), the longest for 9.12 ms
 * </pre>
 * Against the slides' one-at-a-time server, the last line shows most clients queued "for the prompt".
 */
@Command(name = "tcp-load", mixinStandardHelpOptions = true, versionProvider = Sockets.Version.class,
        description = {"Run many TCP clients at once against a server; report conversations/s, latency, errors.",
                "Works against any server speaking the lab protocol: ours, the slides' Python one, a student's own.",
                "Closed loop: each client starts a new conversation as soon as one ends.",
                "With --hold N: N clients connect and stay silent, then all send their ID at once."},
        sortOptions = false, showDefaultValues = true)
public final class TcpLoadCommand implements Callable<Integer> {
    static final Duration MAX_DURATION = Duration.ofMinutes(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost", description = "The server: a name or an address.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.Remote.class, defaultValue = "" + Protocol.DEFAULT_TCP_PORT, description = "The server's TCP port.")
    int port;

    @Option(names = "--clients", defaultValue = "" + TcpLoad.DEFAULT_CLIENTS, paramLabel = "N",
            description = "Clients in the closed loop, each one connection at a time.")
    int clients;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long the closed loop runs (at most 10m).")
    Duration duration;

    @Option(names = "--hold", paramLabel = "N",
            description = "Instead of the closed loop: open N connections, keep them silent, then answer them all.")
    Integer hold;

    @Option(names = "--hold-for", defaultValue = "3s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "With --hold: how long to stay silent once all are connected (at most 10m).")
    Duration holdFor;

    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "A conversation (or a held client's connect and prompt) that takes longer is a timeout.")
    Duration timeout;

    @Option(names = "--threads", paramLabel = "N", showDefaultValue = Visibility.NEVER,
            description = "Threads driving the clients (default: one per core, at most 4).")
    Integer threads;

    @Mixin
    ConsoleOptions output;

    @Override
    public Integer call() throws IOException {
        int count = hold != null ? hold : clients;
        check(count >= 1 && count <= TcpLoad.MAX_CLIENTS, (hold != null ? "--hold" : "--clients")
                + " must be between 1 and " + TcpLoad.MAX_CLIENTS);
        check(!duration.isZero() && duration.compareTo(MAX_DURATION) <= 0, "--duration must be above 0 and at most 10m");
        check(holdFor.compareTo(MAX_DURATION) <= 0, "--hold-for must be at most 10m");
        check(!timeout.isZero() && timeout.compareTo(MAX_DURATION) <= 0, "--timeout must be above 0 and at most 10m");
        check(threads == null || (threads >= 1 && threads <= 64), "--threads must be between 1 and 64");

        output.refuseExplain();
        Console console = output.console(true);
        PrintWriter err = spec.commandLine().getErr();
        Console progress = new Console(err, err, console.json(), true);   // progress on stderr, results on stdout
        InetSocketAddress server = new InetSocketAddress(ConsoleOptions.resolve(host), port);
        TcpLoad.Settings settings = (hold != null ? TcpLoad.Settings.hold(server, count, holdFor)
                : TcpLoad.Settings.closedLoop(server, count, duration)).withTimeout(timeout);
        if (threads != null) {
            settings = settings.withThreads(threads);
        }
        FileLimit.warnIfTooLow(count, progress);

        console.event("start", null, "tcp-load: " + (settings.hold()
                ? count + " clients held silent for " + TcpLoad.describe(holdFor) + ", then all answering"
                : count + " clients in a closed loop for " + TcpLoad.describe(duration))
                + " against " + host + " port " + port + ", " + settings.threads() + " threads");
        TcpLoadResult result = TcpLoad.run(settings, progress);
        SummaryLine.print(result.lines(), console);
        if (result.served() == 0) {
            throw new Failure("no conversation was completed: is a server listening on " + host + " port " + port + "?");
        }
        return 0;
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
