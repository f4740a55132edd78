package lab.sockets.load;

import lab.sockets.Addresses;
import lab.sockets.Command;
import lab.sockets.Console;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;

import static lab.sockets.DurationConverter.format;

/**
 * What {@code tcp-load} and {@code udp-load} share: the server they drive ({@code --host}, {@code --port},
 * first in their help), the limit on how long they run, and where their lines go.
 */
abstract class LoadCommand extends Command {
    /** A load run is a measurement, not a service: no duration or timeout beyond this. */
    static final Duration MAX_DURATION = Duration.ofMinutes(10);
    /** The end of an option's help that says so. */
    static final String AT_MOST = " (at most " + format(MAX_DURATION) + ").";

    private final Value<String> host;
    private final Value<Integer> port;

    LoadCommand(String name, int defaultPort, String portDescription, String... description) {
        super(name, description);
        host = option("--host", "HOST", String.class, "localhost", "The server: a name or an address.");
        port = remotePort("--port", defaultPort, portDescription);
    }

    /** The server's address, resolved. */
    final InetSocketAddress server() {
        return new InetSocketAddress(Addresses.resolve(host.get()), port.get());
    }

    /** The server as the user named it, for the lines: {@code localhost port 65432}. */
    final String target() {
        return host.get() + " port " + port.get();
    }

    /** Progress lines go to stderr, so that stdout holds only the results, in text or JSON as {@code results}. */
    final Console progress(Console results) {
        PrintWriter err = spec.commandLine().getErr();
        return new Console(err, err, results.json(), true);
    }
}
