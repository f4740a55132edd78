package lab.sockets.udp;

import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.DurationConverter;
import lab.sockets.Failure;
import lab.sockets.PortConverter;
import lab.sockets.Protocol;
import lab.sockets.Server;
import lab.sockets.Sockets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
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
    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.class, defaultValue = "" + Protocol.DEFAULT_UDP_PORT,
            description = "UDP port to listen on; 0 lets the OS choose one.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Address to listen on (default: all interfaces, INADDR_ANY).")
    String bind;

    @Option(names = "--drop", defaultValue = "0", paramLabel = "P",
            description = "Drop each reply with this probability (0.3 = 30%%), to see UDP lose datagrams.")
    double drop;

    @Option(names = "--delay", defaultValue = "0ms", paramLabel = "MIN[-MAX]",
            description = "Send each reply after a random delay in this range, e.g. 5ms-50ms.")
    String delay;

    @Option(names = "--seed", paramLabel = "N", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Seed for --drop and --delay: the same seed drops and delays the same datagrams (default: random, printed).")
    Long seed;

    @Option(names = "--show", defaultValue = "" + UdpServer.DEFAULT_SHOWN_PER_SECOND, paramLabel = "N",
            description = "Show at most N datagrams per sender per second; the rest are answered and counted"
                    + " in one line a second, so a flood cannot bury the screen (0 shows every one).")
    int shownPerSecond;

    @Spec
    CommandSpec spec;

    @Mixin
    ConsoleOptions output;

    @Override
    public Integer call() {
        Console console = output.console(false);
        InetSocketAddress address = ConsoleOptions.bindAddress(bind, port);
        if (drop < 0 || drop > 1) {
            throw new ParameterException(spec.commandLine(), "--drop must be between 0 and 1, e.g. 0.3 for 30%");
        }
        Duration[] range = delayRange();
        long chosenSeed = seed != null ? seed : new SecureRandom().nextInt(1_000_000);
        UdpServer.Settings settings = UdpServer.Settings.of(address).withLoss(drop, range[0], range[1], chosenSeed)
                .withShownPerSecond(shownPerSecond);
        UdpServer server;
        try {
            server = UdpServer.start(settings, console);
        } catch (IOException e) {
            throw Failure.cannotBind(e, address);
        }
        if (settings.unreliable()) {
            console.event("listening", null, String.format(Locale.ROOT,
                    "unreliable on purpose: dropping %.0f%% of replies, delaying %d-%d ms, --seed %d",
                    drop * 100, range[0].toMillis(), range[1].toMillis(), chosenSeed));
        }
        return Server.runUntilStopped(server, "udp-server", console, null);
    }

    /** {@code 20ms} or {@code 5ms-50ms}. */
    private Duration[] delayRange() {
        String[] parts = delay.split("-", 2);
        try {
            Duration min = DurationConverter.parse(parts[0]);
            Duration max = parts.length > 1 ? DurationConverter.parse(parts[1]) : min;
            if (max.compareTo(min) < 0) {
                throw new ParameterException(spec.commandLine(), "--delay " + delay + ": the maximum is below the minimum");
            }
            return new Duration[] {min, max};
        } catch (TypeConversionException e) {
            throw new ParameterException(spec.commandLine(), "--delay " + delay + ": " + e.getMessage());
        }
    }
}
