package lab.sockets.tcp;

import lab.sockets.Server;
import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.PortConverter;
import lab.sockets.DurationConverter;
import lab.sockets.Failure;
import lab.sockets.Protocol;
import lab.sockets.Sockets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code sockets tcp-server}: the slides' TCP server, serving the whole class at once.
 * <pre>
 *   $ sockets tcp-server --port 65432
 *   15:32:01.118  tcp-server listening on 0.0.0.0 port 65432 (all interfaces)
 *   15:32:01.121  students can connect to: 192.168.1.23 port 65432 (and localhost on this machine)
 *   15:32:07.401  192.168.1.57:52814  connected
 *   15:32:09.113  192.168.1.57:52814  ID B08902001 (ended by newline)
 * </pre>
 */
@Command(name = "tcp-server", mixinStandardHelpOptions = true, versionProvider = Sockets.Version.class,
        description = {"Ask every client \"What's your student ID?\", show the ID upper-cased, answer \"ID received: <ID>\" and close.",
                "Serves many clients at once; runs until Ctrl+C."},
        sortOptions = false, showDefaultValues = true)
public final class TcpServerCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.class, defaultValue = "" + Protocol.DEFAULT_TCP_PORT,
            description = "TCP port to listen on; 0 lets the OS choose one.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Address to listen on (default: all interfaces, the slides' HOST = \"\", INADDR_ANY).")
    String bind;

    @Option(names = "--idle-timeout", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Close a client that sends nothing for this long (500ms, 3s, 2m, or seconds).")
    Duration idleTimeout;

    @Option(names = "--deadline", defaultValue = "2m", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Close a conversation that takes longer than this in all, however it trickles.")
    Duration deadline;

    @Option(names = "--max-clients", defaultValue = "" + TcpServer.DEFAULT_MAX_CLIENTS, paramLabel = "N",
            description = "Clients connected at once; one more is told the server is busy and closed.")
    int maxClients;

    @Option(names = "--backlog", paramLabel = "N", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "listen() backlog: connections the kernel queues before they are accepted"
                    + " (default: " + TcpServer.DEFAULT_BACKLOG + "; " + IterativeServer.SLIDES_BACKLOG + " with --iterative).")
    Integer backlog;

    @Option(names = "--iterative",
            description = {"Serve one client at a time with blocking calls, exactly as the slides' code does"
                    + " (bind, listen, accept, send, recv, close), so you can watch clients queue.",
                    "The slides' listen(0) on Linux still lets one connection wait (the kernel admits backlog + 1)"
                            + " and drops the SYNs of the rest, which retry; Java cannot pass 0 (below 1 means"
                            + " 'default, 50'), so --iterative uses a backlog of 1, the nearest."})
    boolean iterative;

    @Option(names = "--roster", paramLabel = "FILE",
            description = "Append each ID to this CSV file (time,client,id), on disk before it is acknowledged.")
    Path roster;

    @Mixin
    ConsoleOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        Console console = output.console(false);
        InetSocketAddress address = ConsoleOptions.bindAddress(bind, port);
        if (address.getAddress().isMulticastAddress()) {
            throw new Failure("cannot bind " + Console.host(address.getAddress())
                    + ": it is a multicast address, which TCP cannot use (check --bind)");
        }
        Roster keep = openRoster(console);
        int queue = backlog != null ? backlog : iterative ? IterativeServer.SLIDES_BACKLOG : TcpServer.DEFAULT_BACKLOG;
        TcpServer.Settings settings = TcpServer.Settings.of(address)
                .withIdleTimeout(idleTimeout).withDeadline(deadline)
                .withMaxClients(maxClients).withBacklog(queue).withRoster(keep);
        Server server;
        try {
            server = iterative ? IterativeServer.start(settings, console) : TcpServer.start(settings, console);
        } catch (IOException e) {
            keep.close();
            throw Failure.cannotBind(e, address);
        }
        return Server.runUntilStopped(server,
                iterative ? "tcp-server (iterative, one client at a time)" : "tcp-server", console, keep);
    }

    /** Values no server can run with are usage errors (exit 2), caught before anything is bound. */
    private void checkOptions() {
        atLeastOne("--max-clients", maxClients);
        if (backlog != null) {
            atLeastOne("--backlog", backlog);
        }
        longerThanZero("--idle-timeout", idleTimeout);
        longerThanZero("--deadline", deadline);
    }

    private void atLeastOne(String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '" + option + "': " + value + "; it must be at least 1");
        }
    }

    private void longerThanZero(String option, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '" + option + "': it must be longer than 0");
        }
    }

    private Roster openRoster(Console console) {
        if (roster == null) {
            return Roster.NONE;
        }
        try {
            return RosterFile.open(roster, console);
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "its folder does not exist"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : String.valueOf(e.getMessage());
            throw new Failure("cannot open the roster file " + roster + ": " + why);
        }
    }
}
