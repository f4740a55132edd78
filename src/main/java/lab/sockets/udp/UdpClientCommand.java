package lab.sockets.udp;

import lab.sockets.Addresses;
import lab.sockets.Command;
import lab.sockets.ConsoleOptions;
import lab.sockets.Failure;
import lab.sockets.PortConverter;
import lab.sockets.Protocol;

import java.net.InetSocketAddress;
import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code sockets udp-client}: the slides' UDP client. The server and message are given as the slides'
 * variables give them, {@code UDP_IP UDP_PORT MESSAGE}, or with {@code --host}, {@code --port}, {@code --msg}.
 * <pre>
 *   $ sockets udp-client localhost 5005 hi
 *   15:40:05.006  127.0.0.1:5005  sent 2 bytes: hi
 *   15:40:05.008  127.0.0.1:5005  reply from 127.0.0.1:5005: data received
 * </pre>
 */
public final class UdpClientCommand extends Command {
    public UdpClientCommand() {
        super("udp-client", "Send one datagram to a udp-server and print its reply; retries, since UDP loses datagrams.");
    }

    private final Value<String> hostArgument = positional("HOST", String.class, null,
            "The server, as the slides' UDP_IP: the same as --host.");
    private final Value<Integer> portArgument = positional("PORT", Integer.class, new PortConverter.Remote(),
            "Its UDP port, the slides' UDP_PORT: the same as --port.");
    private final Value<String> messageArgument = positional("MESSAGE", String.class, null,
            "The slides' MESSAGE: the same as --msg.");
    private final Value<String> host = option("--host", "HOST", String.class, "localhost",
            "Server to send to: a name or an address.");
    private final Value<Integer> port = remotePort("--port", Protocol.DEFAULT_UDP_PORT, "The server's UDP port.");
    private final Value<String> message = option("--msg", "TEXT", String.class, "Hello, World!",
            "The message to send (UTF-8).");
    private final Value<Duration> timeout = positiveDuration("--timeout", "1s", null, "How long to wait for each reply.");
    private final Value<Integer> retries = number("--retries", "N", 0, Integer.MAX_VALUE, 3,
            "How many more times to send when no reply comes.");
    private final Value<Integer> count = number("--count", "N", 1, Integer.MAX_VALUE, null,
            "Ping mode: send N numbered datagrams (\"<msg> 1\", \"<msg> 2\", ...), one line each"
                    + " with its round-trip time or \"timed out\", then a loss summary. No retries.");
    private final Value<Duration> interval = duration("--interval", "1s", "With --count: time between datagrams.");
    private final ConsoleOptions output = new ConsoleOptions(this);

    @Override
    public Integer call() {
        String hostName = host(hostArgument, host, portArgument);
        int portNumber = either(portArgument, port);
        String text = either(messageArgument, message);
        InetSocketAddress server = new InetSocketAddress(Addresses.resolve(hostName), portNumber);
        UdpClient client = new UdpClient(server, timeout.get(), output.console(true));
        if (count.get() == null) {
            client.send(text.getBytes(UTF_8), retries.get());
            return 0;
        }
        UdpClient.PingSummary summary = client.ping(text, count.get(), interval.get());
        if (summary.received() == 0) {
            throw new Failure("no reply to any of " + count.get() + " datagrams from " + Addresses.format(server)
                    + ": is udp-server running there, on this port?");
        }
        return 0;
    }
}
