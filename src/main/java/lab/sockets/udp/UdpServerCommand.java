package lab.sockets.udp;

import lab.sockets.Addresses;
import lab.sockets.Command;
import lab.sockets.Console;
import lab.sockets.ConsoleOptions;
import lab.sockets.DurationConverter;
import lab.sockets.Failure;
import lab.sockets.Protocol;
import lab.sockets.RangeConverter;
import lab.sockets.Server;
import lab.sockets.WebOptions;
import lab.sockets.web.LivePage;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code sockets udp-server}: the slides' UDP server.
 * <pre>
 *   $ sockets udp-server
 *   15:40:02.510  udp-server listening on 0.0.0.0 port 5005 (all interfaces)
 *   15:40:02.512  students can connect to: 192.168.1.23 port 5005 (and localhost on this machine)
 *   15:40:05.007  192.168.1.57:48211  received 13 bytes: Hello, World!
 * </pre>
 */
public final class UdpServerCommand extends Command {
    public UdpServerCommand() {
        super("udp-server", "Answer every datagram with \"data received\", printing who sent what. Runs until Ctrl+C.");
    }

    private final Value<Integer> port = port("--port", Protocol.DEFAULT_UDP_PORT,
            "UDP port to listen on; 0 lets the OS choose one.");
    private final Value<String> bind = option("--bind", "ADDRESS", String.class, null,
            "Address to listen on (default: all interfaces, INADDR_ANY).");
    private final Value<Double> drop = converted("--drop", "P", Double.class, new Probability(), "0",
            "Drop each reply with this probability (0.3 = 30%%), to see UDP lose datagrams.");
    private final Value<String> delay = option("--delay", "MIN[-MAX]", String.class, "0ms",
            "Send each reply after a random delay in this range, e.g. 5ms-50ms.");
    private final Value<Long> seed = option("--seed", "N", Long.class, null,
            "Seed for --drop and --delay: the same seed drops and delays the same datagrams (default: random, printed).");
    private final Value<Integer> shownPerSecond = number("--show", "N", 0, Integer.MAX_VALUE, UdpServer.DEFAULT_SHOWN_PER_SECOND,
            "Show at most N datagrams per sender per second; the rest are answered and counted"
                    + " in one line a second, so a flood cannot bury the screen (0 shows every one).");
    private final ConsoleOptions output = new ConsoleOptions(this);
    private final WebOptions web = new WebOptions(this);

    @Override
    public Integer call() {
        Console console = output.console(false);
        InetSocketAddress address = Addresses.bindAddress(bind.get(), port.get());
        double dropped = drop.get();
        Duration[] range = delayRange(delay.get());
        long chosenSeed = seed.get() != null ? seed.get() : new SecureRandom().nextInt(1_000_000);
        UdpServer.Settings settings = UdpServer.Settings.of(address).withLoss(dropped, range[0], range[1], chosenSeed)
                .withShownPerSecond(shownPerSecond.get());
        LivePage page = web.open(console, "udp-server", null);
        UdpServer server;
        try {
            server = UdpServer.start(settings, console);
        } catch (IOException e) {
            page.close();
            throw Failure.cannotBind(e, address);
        }
        page.serving(server);
        if (settings.unreliable()) {
            console.event("listening", null, "unreliable on purpose: " + unreliability(dropped, range) + ", --seed " + chosenSeed);
        }
        return Server.runUntilStopped(server, "udp-server", console, null, "answering no more datagrams");
    }

    /** {@code dropping 30% of replies, delaying 5-50 ms}: only what is on. */
    private static String unreliability(double dropped, Duration[] range) {
        String drops = dropped > 0 ? String.format(Locale.ROOT, "dropping %.0f%% of replies", dropped * 100) : "";
        long min = range[0].toMillis();
        long max = range[1].toMillis();
        String delays = max == 0 ? "" : "delaying " + (min == max ? min + " ms" : min + "-" + max + " ms");
        return drops.isEmpty() ? delays : delays.isEmpty() ? drops : drops + ", " + delays;
    }

    /** {@code 20ms} or {@code 5ms-50ms}. */
    private Duration[] delayRange(String delay) {
        String[] parts = delay.split("-", 2);
        try {
            Duration min = DurationConverter.parse(parts[0]);
            Duration max = parts.length > 1 ? DurationConverter.parse(parts[1]) : min;
            if (max.compareTo(min) < 0) {
                throw usageError("--delay " + delay + ": the maximum is below the minimum");
            }
            return new Duration[] {min, max};
        } catch (TypeConversionException e) {
            throw usageError("--delay " + delay + ": " + e.getMessage());
        }
    }

    /** {@code --drop}: a probability, 0 to 1. */
    static final class Probability implements RangeConverter<Double> {
        @Override
        public Double read(String value) {
            return RangeConverter.decimal(value, "a probability, e.g. 0.3 for 30%");
        }

        @Override
        public String outOfRange(Double p, String value) {
            return p >= 0 && p <= 1 ? null : value + "; it must be between 0 and 1, e.g. 0.3 for 30%";
        }
    }
}
