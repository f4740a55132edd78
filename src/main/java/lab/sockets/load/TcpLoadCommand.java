package lab.sockets.load;

import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.Failure;
import lab.sockets.Protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import static lab.sockets.DurationConverter.format;

/**
 * {@code sockets tcp-load}: "how many students can your server take?"
 * <pre>
 *   $ sockets tcp-load --port 65432 --clients 200 --duration 10s
 *   15:50:00.001  tcp-load: 200 clients in a closed loop for 10s against localhost port 65432, 2 threads
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
public final class TcpLoadCommand extends LoadCommand {
    public TcpLoadCommand() {
        super("tcp-load", Protocol.DEFAULT_TCP_PORT, "The server's TCP port.",
                "Run many TCP clients at once against a server; report conversations/s, latency, errors.",
                "Works against any server speaking the lab protocol: ours, the slides' Python one, a student's own.",
                "Closed loop: each client starts a new conversation as soon as one ends.",
                "With --hold N: N clients connect and stay silent, then all send their ID at once.",
                "Each client sends the ID LOAD-<its number>, e.g. LOAD-000001, never a student's.");
    }

    private final Value<Integer> clients = number("--clients", "N", 1, TcpLoadSettings.MAX_CLIENTS, TcpLoadSettings.DEFAULT_CLIENTS,
            "Clients in the closed loop, each one connection at a time.");
    private final Value<Duration> duration = positiveDuration("--duration", "10s", MAX_DURATION, "How long the closed loop runs" + AT_MOST);
    private final Value<Integer> hold = number("--hold", "N", 1, TcpLoadSettings.MAX_CLIENTS, null,
            "Instead of the closed loop: open N connections, keep them silent, then answer them all.");
    private final Value<Duration> holdFor = durationUpTo("--hold-for", "3s", MAX_DURATION,
            "With --hold: how long to stay silent once all are connected" + AT_MOST);
    private final Value<Duration> timeout = positiveDuration("--timeout", "5s", MAX_DURATION,
            "A conversation (or a held client's connect and prompt) that takes longer is a timeout.");
    private final Value<Integer> threads = number("--threads", "N", 1, 64, null,
            "Threads driving the clients (default: one per core, at most 4).");
    private final ConsoleOptions output = new ConsoleOptions(this);

    @Override
    public Integer call() throws IOException {
        boolean holding = hold.get() != null;
        int count = holding ? hold.get() : clients.get();

        output.refuseExplain();
        Console console = output.console(true);
        Console progress = progress(console);
        InetSocketAddress server = server();
        TcpLoadSettings settings = (holding ? TcpLoadSettings.hold(server, count, holdFor.get())
                : TcpLoadSettings.closedLoop(server, count, duration.get())).withTimeout(timeout.get());
        if (threads.get() != null) {
            settings = settings.withThreads(threads.get());
        }
        FileLimit.warnIfTooLow(count, progress);

        console.event("start", null, "tcp-load: " + (settings.hold()
                ? count + " clients held silent for " + format(holdFor.get()) + ", then all answering"
                : count + " clients in a closed loop for " + format(duration.get()))
                + " against " + target() + ", " + settings.threads() + " threads");
        TcpLoadResult result = TcpLoad.run(settings, progress);
        SummaryLine.print(result.lines(), console);
        if (result.served() == 0) {
            throw new Failure("no conversation was completed: is a server listening on " + target() + "?");
        }
        return 0;
    }
}
