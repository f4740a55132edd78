package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.Command;
import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.DurationConverter;
import lab.sockets.Failure;
import lab.sockets.PortConverter;
import lab.sockets.Protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code sockets tcp-client}: the slides' TCP client. The server is given as the slides' variables (and
 * {@code nc}) give it, {@code HOST PORT}, or with {@code --host} and {@code --port}.
 * <pre>
 *   $ sockets tcp-client 192.168.1.23 65432
 *   15:32:07.399  192.168.1.23:65432  connected from 192.168.1.57:52814
 *   15:32:07.401  192.168.1.23:65432  server: What's your student ID?
 *   b08902001
 *   15:32:09.113  192.168.1.23:65432  sent: b08902001
 *   15:32:09.115  192.168.1.23:65432  server: ID received: B08902001
 * </pre>
 * Exit code 0 only when the server acknowledged the ID; 1, with one {@code Error:} line saying what
 * happened and what to do, when it was busy, closed before the ID was sent, answered nothing, or refused it.
 */
public final class TcpClientCommand extends Command {
    /** Where a typed ID comes from: {@code System.in}, or what a test gives. */
    private final InputStream stdin;

    public TcpClientCommand(InputStream stdin) {
        super("tcp-client", "Connect to a tcp-server, show its prompt, send the ID you type (or --id), print the acknowledgement.");
        this.stdin = stdin;
    }

    private final Value<String> hostArgument = positional("HOST", String.class, null,
            "The server, as in 'nc HOST PORT': the same as --host.");
    private final Value<Integer> portArgument = positional("PORT", Integer.class, new PortConverter.Remote(),
            "Its TCP port: the same as --port.");
    private final Value<String> host = option("--host", "HOST", String.class, "localhost",
            "Server to connect to: a name or an address.");
    private final Value<Integer> port = remotePort("--port", Protocol.DEFAULT_TCP_PORT, "The server's TCP port.");
    private final Value<String> id = option("--id", "ID", String.class, null,
            "The student ID to send (default: read a line from standard input, like the slides' input()).");
    private final Value<Duration> timeout = positiveDuration("--timeout", "5s", null,
            "Longest wait for the server in all: connecting, its prompt and its acknowledgement together"
                    + " (the time you take to type is --type-timeout's).");
    private final Value<Duration> typeTimeout = positiveDuration("--type-timeout", DurationConverter.format(TcpClient.DEFAULT_TYPE_TIMEOUT), null,
            "Longest wait for you to type the ID and press Enter. A sockets tcp-server closes a silent"
                    + " connection sooner, after its --idle-timeout; tcp-client warns you "
                    + DurationConverter.format(TcpClient.WARN_BEFORE) + " before.");
    private final Value<Boolean> noAck = flag("--no-ack",
            "Expect no acknowledgement, as from the slides' own server: its closing after the ID is success."
                    + " Without it, no acknowledgement is a failure (exit 1).");
    private final Value<Integer> chunk = number("--chunk", "BYTES", 1, Integer.MAX_VALUE, null,
            "Send the ID in pieces of this many bytes (default: all at once), to see TCP is a byte stream.");
    private final Value<Duration> gap = duration("--gap", "200ms",
            "Pause between pieces with --chunk (over 500ms, the server ends an ID sent in pieces of 3 bytes or more).");
    private final ConsoleOptions output = new ConsoleOptions(this);

    @Override
    public Integer call() {
        String hostName = host(hostArgument, host, portArgument);
        int portNumber = either(portArgument, port);
        Console console = output.console(true);
        InetSocketAddress server = new InetSocketAddress(Addresses.resolve(hostName), portNumber);
        TcpClient client = new TcpClient(server, timeout.get(), console).typeTimeout(typeTimeout.get());
        if (chunk.get() != null) {
            client.inPieces(chunk.get(), gap.get());
        }
        if (noAck.get()) {
            client.noAcknowledgementExpected();
        }
        if (id.get() != null) {
            client.converse(id.get());
        } else {
            client.converse(this::typedId);
        }
        return 0;
    }

    /** The slides' {@code input()}: one line from the keyboard. */
    private String typedId() {
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, UTF_8)).readLine();
            if (line == null) {
                throw new Failure("no ID to send: type one after the prompt, or pass --id B08902001");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
