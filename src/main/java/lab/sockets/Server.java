package lab.sockets;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** What every server here is: bound to an address, serving on threads of its own until closed. */
public interface Server extends AutoCloseable {
    /** The address and port really bound: with port 0 the OS chose the port. */
    InetSocketAddress address();

    /** How this server stops ({@link #close()} asks it). */
    Lifecycle lifecycle();

    /** Waits until the server has stopped; returns whether it did within {@code timeout}. */
    default boolean awaitStopped(Duration timeout) {
        return lifecycle().await(timeout);
    }

    /** Clients connected now, for the live page ({@code --web}); -1 where there are no connections (UDP). */
    default int connectedNow() {
        return -1;
    }

    /** Stops serving, letting what is in flight finish briefly. Safe to call twice, from any thread. */
    @Override
    void close();

    /** Lines for the TA once the server has stopped (what it served, who is missing), from its lifecycle. */
    default List<String> summary() {
        return lifecycle().summary();
    }

    /**
     * What {@code tcp-server} and {@code udp-server} do once bound: print the banner, then serve until
     * Ctrl+C or SIGTERM (exit code 0, see {@link Shutdown}), closing {@code alsoClose} (the roster, or
     * {@code null}) after the server, then print the {@link #summary()}. Returns 1 only if the server
     * stopped by itself, which it has logged.
     *
     * @param stopping what the server does with what is in flight when told to stop, for the console
     */
    static int runUntilStopped(Server server, String name, Console console, AutoCloseable alsoClose, String stopping) {
        // The hook comes first: a script may send SIGTERM as soon as it reads the banner.
        Thread hook = Shutdown.onSignal(() -> {
            try (alsoClose; server) {
                // the server first, so that what it finishes still reaches the roster
            }
            for (String line : server.summary()) {
                console.event("summary", null, line);
            }
        }, stopping, console);
        InetSocketAddress bound = server.address();
        console.event("listening", null, Banner.listening(name, bound),
                "address", Addresses.host(bound.getAddress()), "port", bound.getPort());
        console.event("listening", null, Banner.reachableAt(bound, name.startsWith("udp") ? "send to" : "connect to"));
        console.flush();
        server.awaitStopped(Duration.ofDays(365_000));
        Shutdown.cancel(hook);
        return 1;
    }
}
