package lab.sockets;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Options every command shares: how it talks to the person (or script) running it. */
public final class ConsoleOptions {
    private final CommandSpec spec;
    private final Command.Value<Boolean> json;
    private final Command.Value<Boolean> explain;

    /** Adds {@code --json} and {@code --explain} to {@code command}, after the options it declared so far. */
    public ConsoleOptions(Command command) {
        spec = command.spec;
        json = command.flag("--json", "One JSON object per event instead of text, for scripts and autograders.");
        explain = command.flag("--explain", "Narrate every socket call as it happens: the slides' Python, the Java call, the result.");
    }

    /**
     * For the load generators: narrating thousands of conversations would be unreadable, so {@code --explain}
     * there is a usage error that says where to use it instead.
     */
    public void refuseExplain() {
        if (explain.get()) {
            throw new ParameterException(spec.commandLine(), "--explain narrates one conversation; with many at once"
                    + " it would be unreadable: use it with tcp-client, udp-client or a server");
        }
    }

    /** Servers flush once per batch of events; clients after every line, so a person sees each at once. */
    public Console console(boolean flushEachLine) {
        return new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), json.get(), explain.get(), flushEachLine, null);
    }

    /** The address a server binds: {@code null} or empty means all interfaces (the slides' {@code HOST = ""}). */
    public static InetSocketAddress bindAddress(String host, int port) {
        if (host == null || host.isEmpty()) {
            return new InetSocketAddress(port);   // INADDR_ANY
        }
        return new InetSocketAddress(resolve(host), port);
    }

    /**
     * A host name or address, or a {@link Failure} that says what to check. {@code localhost} is this
     * machine's loopback address by definition (RFC 6761), so it is not looked up: asking the system's
     * resolver costs a client's start-up tens of milliseconds for an answer known in advance.
     */
    public static InetAddress resolve(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new Failure("unknown host '" + Protocol.escape(host) + "': check the spelling, or use an IP address"
                    + " (" + Errno.EAI_NONAME.name() + ")");
        }
    }
}
