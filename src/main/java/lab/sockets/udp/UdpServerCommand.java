package lab.sockets.udp;

import lab.sockets.Banner;
import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.Failure;
import lab.sockets.Protocol;
import lab.sockets.Shutdown;
import lab.sockets.Sockets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code sockets udp-server}: the slides' UDP server.
 * <pre>
 *   $ sockets udp-server
 *   15:40:02.510  udp-server listening on 0.0.0.0 port 5005 (all interfaces)
 *   15:40:02.512  students can connect to: 192.168.1.23 port 5005 (and localhost on this machine)
 *   15:40:05.007  192.168.1.57:48211  received 13 bytes: Hello, World!
 * </pre>
 */
@Command(name = "udp-server", mixinStandardHelpOptions = true, versionProvider = Sockets.Version.class,
        description = {"Answer every datagram with \"data received\", printing who sent what. Runs until Ctrl+C."},
        sortOptions = false, showDefaultValues = true)
public final class UdpServerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "" + Protocol.DEFAULT_UDP_PORT,
            description = "UDP port to listen on; 0 lets the OS choose one.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Address to listen on (default: all interfaces, INADDR_ANY).")
    String bind;

    @Mixin
    ConsoleOptions output;

    @Override
    public Integer call() {
        Console console = output.console(false);
        InetSocketAddress address = ConsoleOptions.bindAddress(bind, port);
        UdpServer server;
        try {
            server = UdpServer.start(address, console);
        } catch (IOException e) {
            throw Failure.cannotBind(e, address);
        }
        InetSocketAddress bound = server.address();
        console.event("listening", null, Banner.listening("udp-server", bound),
                "address", Console.host(bound.getAddress()), "port", String.valueOf(bound.getPort()));
        console.event("listening", null, Banner.reachableAt(bound));
        console.flush();
        Thread hook = Shutdown.onSignal(server, console);
        server.awaitStopped(Duration.ofDays(365_000));
        Shutdown.cancel(hook);
        return 1;   // the server only stops by itself on a failure, which it has logged
    }
}
