package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.Command;
import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.Failure;
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
public final class TcpClientCommand extends Command {
    /** Where a typed ID comes from: {@code System.in}, or what a test gives. */
    private final InputStream stdin;

    public TcpClientCommand(InputStream stdin) {
        super("tcp-client", "Connect to a tcp-server, show its prompt, send the ID you type (or --id), print the acknowledgement.");
        this.stdin = stdin;
    }

    private final Value<String> host = option("--host", "HOST", String.class, "localhost",
            "Server to connect to: a name or an address.");
    private final Value<Integer> port = remotePort("--port", Protocol.DEFAULT_TCP_PORT, "The server's TCP port.");
    private final Value<String> id = option("--id", "ID", String.class, null,
            "The student ID to send (default: read a line from standard input, like the slides' input()).");
    private final Value<Duration> timeout = duration("--timeout", "5s",
            "Longest wait for the connection, the prompt and the acknowledgement, each.");
    private final Value<Integer> chunk = option("--chunk", "BYTES", Integer.class, null,
            "Send the ID in pieces of this many bytes (default: all at once), to see TCP is a byte stream.");
    private final Value<Duration> gap = duration("--gap", "200ms",
            "Pause between pieces with --chunk (a pause over 500ms ends the ID at the server).");
    private final ConsoleOptions output = new ConsoleOptions(this);

    @Override
    public Integer call() {
        Console console = output.console(true);
        InetSocketAddress server = new InetSocketAddress(Addresses.resolve(host.get()), port.get());
        TcpClient client = new TcpClient(server, timeout.get(), console);
        if (chunk.get() != null) {
            if (chunk.get() < 1) {
                throw usageError("--chunk must be at least 1 byte");
            }
            client.inPieces(chunk.get(), gap.get());
        }
        client.converse(this::typedId);
        return 0;
    }

    /** The slides' {@code input()}: one line from the keyboard. */
    private String typedId() {
        if (id.get() != null) {
            return id.get();
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
