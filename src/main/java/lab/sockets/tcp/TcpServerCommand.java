package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.ClassList;
import lab.sockets.Command;
import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.Failure;
import lab.sockets.Protocol;
import lab.sockets.Server;
import lab.sockets.WebOptions;
import lab.sockets.web.LivePage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

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
public final class TcpServerCommand extends Command {
    public TcpServerCommand() {
        super("tcp-server", "Ask every client \"What's your student ID?\", show the ID upper-cased, answer \"ID received: <ID>\" and close.",
                "Serves many clients at once; runs until Ctrl+C.");
    }

    // Shared with other commands; --help lists them after this command's own options, wherever declared.
    private final ConsoleOptions output = new ConsoleOptions(this);
    private final WebOptions web = new WebOptions(this);
    private final Value<Integer> port = port("--port", Protocol.DEFAULT_TCP_PORT,
            "TCP port to listen on; 0 lets the OS choose one.");
    private final Value<String> bind = option("--bind", "ADDRESS", String.class, null,
            "Address to listen on (default: all interfaces, the slides' HOST = \"\", INADDR_ANY).");
    private final Value<Duration> idleTimeout = positiveDuration("--idle-timeout", "60s", null,
            "Close a client that sends nothing for this long (500ms, 3s, 2m, or seconds).");
    private final Value<Duration> deadline = positiveDuration("--deadline", "2m", null,
            "Close a conversation that takes longer than this in all, however it trickles.");
    private final Value<Integer> maxClients = number("--max-clients", "N", 1, Integer.MAX_VALUE, TcpServer.DEFAULT_MAX_CLIENTS,
            "Clients connected at once; one more is told the server is busy and closed.");
    private final Value<Integer> backlog = number("--backlog", "N", 1, Integer.MAX_VALUE, null,
            "listen() backlog: connections the kernel queues before they are accepted"
                    + " (default: " + TcpServer.DEFAULT_BACKLOG + "; " + IterativeServer.SLIDES_BACKLOG + " with --iterative).");
    private final Value<Boolean> iterative = flag("--iterative",
            "Serve one client at a time with blocking calls, exactly as the slides' code does"
                    + " (bind, listen, accept, send, recv, close), so you can watch clients queue.",
            "The slides' listen(0) on Linux still lets one connection wait (the kernel admits backlog + 1)"
                    + " and drops the SYNs of the rest, which retry; Java cannot pass 0 (below 1 means"
                    + " 'default, 50'), so --iterative uses a backlog of 1, the nearest.");
    private final Value<Path> roster = option("--roster", "FILE", Path.class, null,
            "Append each ID to this CSV file (time,client,id,note), on disk before it is acknowledged.");
    private final Value<Pattern> idPattern = converted("--id-pattern", "REGEX", Pattern.class, new PatternConverter(), null,
            "Record only IDs that match this regular expression, e.g. 'B\\d{8}' (any case); others are told why and not recorded.");
    private final Value<Path> expect = option("--expect", "FILE", Path.class, null,
            "The class list: one ID a line, or a CSV with the ID first; when the server stops, it says who is missing.");

    @Override
    public Integer call() throws IOException {
        Console console = output.console(false);
        InetSocketAddress address = Addresses.bindAddress(bind.get(), port.get());
        if (address.getAddress().isMulticastAddress()) {
            throw new Failure("cannot bind " + Addresses.host(address.getAddress())
                    + ": it is a multicast address, which TCP cannot use (check --bind)");
        }
        ClassList expected = expect.get() == null ? null : ClassList.read(expect.get());
        LivePage page = web.open(console, "tcp-server", expected);
        Roster keep = openRoster(console);
        int queue = backlog.get() != null ? backlog.get()
                : iterative.get() ? IterativeServer.SLIDES_BACKLOG : TcpServer.DEFAULT_BACKLOG;
        TcpServer.Limits limits = new TcpServer.Limits(idleTimeout.get(), deadline.get(), maxClients.get(), queue);
        TcpServer.Settings settings = TcpServer.Settings.of(address).withLimits(limits).withRoster(keep)
                .withClass(idPattern.get(), expected).withLivePage(page.openToOthers() ? page.address().getPort() : 0);
        Server server;
        try {
            server = iterative.get() ? IterativeServer.start(settings, console) : TcpServer.start(settings, console);
        } catch (IOException e) {
            keep.close();
            page.close();
            throw Failure.cannotBind(e, address);
        }
        page.serving(server);
        return Server.runUntilStopped(server,
                iterative.get() ? "tcp-server (iterative, one client at a time)" : "tcp-server", console, keep,
                "finishing conversations in flight");
    }

    private Roster openRoster(Console console) {
        if (roster.get() == null) {
            return Roster.NONE;
        }
        try {
            return RosterFile.open(roster.get(), console);
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "its folder does not exist"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : String.valueOf(e.getMessage());
            throw new Failure("cannot open the roster file " + roster.get() + ": " + why);
        }
    }

    /** {@code --id-pattern}: a regular expression, matched against the whole upper-cased ID, in any case. */
    static final class PatternConverter implements ITypeConverter<Pattern> {
        @Override
        public Pattern convert(String value) {
            try {
                return Pattern.compile(value, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw new TypeConversionException("'" + value + "' is not a regular expression: " + e.getDescription()
                        + " (e.g. 'B\\d{8}' for B and eight digits)");
            }
        }
    }
}
