package lab.sockets.tcp;

import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.PortConverter;
import lab.sockets.DurationConverter;
import lab.sockets.Failure;
import lab.sockets.Protocol;
import lab.sockets.Sockets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code sockets tcp-client}: the slides' TCP client.
 * <pre>
 *   $ sockets tcp-client --host 192.168.1.23
 *   15:32:07.399  192.168.1.23:65432  connected from 192.168.1.57:52814
 *   15:32:07.401  192.168.1.23:65432  server: What's your student ID?
 *   b08902001
 *   15:32:09.113  192.168.1.23:65432  sent: b08902001
 *   15:32:09.115  192.168.1.23:65432  server: ID received: B08902001
 * </pre>
 */
@Command(name = "tcp-client", mixinStandardHelpOptions = true, versionProvider = Sockets.Version.class,
        description = {"Connect to a tcp-server, show its prompt, send the ID you type (or --id), print the acknowledgement."},
        sortOptions = false, showDefaultValues = true)
public final class TcpClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost", description = "Server to connect to: a name or an address.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.Remote.class, defaultValue = "" + Protocol.DEFAULT_TCP_PORT, description = "The server's TCP port.")
    int port;

    @Option(names = "--id", paramLabel = "ID", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "The student ID to send (default: read a line from standard input, like the slides' input()).")
    String id;

    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Longest wait for the connection, the prompt and the acknowledgement, each.")
    Duration timeout;

    @Option(names = "--chunk", paramLabel = "BYTES", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Send the ID in pieces of this many bytes (default: all at once), to see TCP is a byte stream.")
    Integer chunk;

    @Option(names = "--gap", defaultValue = "200ms", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Pause between pieces with --chunk (a pause over 500ms ends the ID at the server).")
    Duration gap;

    @Mixin
    ConsoleOptions output;

    /** Where a typed ID comes from; {@link Sockets#commandLine} sets it, tests replace it. */
    public InputStream stdin = System.in;

    @Override
    public Integer call() {
        Console console = output.console(true);
        InetSocketAddress server = new InetSocketAddress(ConsoleOptions.resolve(host), port);
        TcpClient client = new TcpClient(server, timeout, console);
        if (chunk != null) {
            if (chunk < 1) {
                throw new ParameterException(spec.commandLine(), "--chunk must be at least 1 byte");
            }
            client.inPieces(chunk, gap);
        }
        client.converse(this::typedId);
        return 0;
    }

    /** The slides' {@code input()}: one line from the keyboard. */
    private String typedId() {
        if (id != null) {
            return id;
        }
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
