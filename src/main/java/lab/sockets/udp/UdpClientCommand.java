package lab.sockets.udp;

import lab.sockets.ConsoleOptions;
import lab.sockets.PortConverter;
import lab.sockets.DurationConverter;
import lab.sockets.Protocol;
import lab.sockets.Sockets;
import lab.sockets.Console;
import lab.sockets.Failure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code sockets udp-client}: the slides' UDP client.
 * <pre>
 *   $ sockets udp-client --msg hi
 *   15:40:05.006  127.0.0.1:5005  sent 2 bytes: hi
 *   15:40:05.008  127.0.0.1:5005  reply from 127.0.0.1:5005: data received
 * </pre>
 */
@Command(name = "udp-client", mixinStandardHelpOptions = true, versionProvider = Sockets.Version.class,
        description = {"Send one datagram to a udp-server and print its reply; retries, since UDP loses datagrams."},
        sortOptions = false, showDefaultValues = true)
public final class UdpClientCommand implements Callable<Integer> {
    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost", description = "Server to send to: a name or an address.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.Remote.class, defaultValue = "" + Protocol.DEFAULT_UDP_PORT, description = "The server's UDP port.")
    int port;

    @Option(names = "--msg", paramLabel = "TEXT", defaultValue = "Hello, World!", description = "The message to send (UTF-8).")
    String message;

    @Option(names = "--timeout", defaultValue = "1s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long to wait for each reply.")
    Duration timeout;

    @Option(names = "--retries", defaultValue = "3", paramLabel = "N",
            description = "How many more times to send when no reply comes.")
    int retries;

    @Option(names = "--count", paramLabel = "N", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Ping mode: send N numbered datagrams (\"<msg> 1\", \"<msg> 2\", ...), one line each"
                    + " with its round-trip time or \"timed out\", then a loss summary. No retries.")
    Integer count;

    @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "With --count: time between datagrams.")
    Duration interval;

    @Spec
    CommandSpec spec;

    @Mixin
    ConsoleOptions output;

    @Override
    public Integer call() {
        if (retries < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--retries': " + retries
                    + "; it must be 0 or more");
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--count': " + count
                    + "; it must be 1 or more");
        }
        InetSocketAddress server = new InetSocketAddress(ConsoleOptions.resolve(host), port);
        UdpClient client = new UdpClient(server, timeout, output.console(true));
        if (count == null) {
            client.send(message.getBytes(UTF_8), retries);
            return 0;
        }
        UdpClient.PingSummary summary = client.ping(message, count, interval);
        if (summary.received() == 0) {
            throw new Failure("no reply to any of " + count + " datagrams from " + Console.address(server)
                    + ": is udp-server running there, on this port?");
        }
        return 0;
    }
}
