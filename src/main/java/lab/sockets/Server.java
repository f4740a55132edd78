package lab.sockets;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What every server here is: bound to an address, serving on threads of its own until closed. */
public interface Server extends AutoCloseable {
    /** The address and port really bound: with port 0 the OS chose the port. */
    InetSocketAddress address();

    /** Waits until the server has stopped; returns whether it did within {@code timeout}. */
    boolean awaitStopped(Duration timeout);

    /** Clients connected now, for the live page ({@code --web}); -1 where there are no connections (UDP). */
    default int connectedNow() {
        return -1;
    }

    /** Stops serving, letting what is in flight finish briefly. Safe to call twice, from any thread. */
    @Override
    void close();

    /**
     * What {@code tcp-server} and {@code udp-server} do once bound: print the banner, then serve until
     * Ctrl+C or SIGTERM (exit code 0, see {@link Shutdown}), closing {@code alsoClose} (the roster, or
     * {@code null}) after the server. Returns 1 only if the server stopped by itself, which it has logged.
     */
    static int runUntilStopped(Server server, String name, Console console, AutoCloseable alsoClose) {
        // The hook comes first: a script may send SIGTERM as soon as it reads the banner.
        Thread hook = Shutdown.onSignal(() -> {
            try (alsoClose; server) {
                // the server first, so that what it finishes still reaches the roster
            }
        }, console);
        InetSocketAddress bound = server.address();
        console.event("listening", null, Banner.listening(name, bound),
                "address", Addresses.host(bound.getAddress()), "port", bound.getPort());
        console.event("listening", null, Banner.reachableAt(bound));
        console.flush();
        server.awaitStopped(Duration.ofDays(365_000));
        Shutdown.cancel(hook);
        return 1;
    }

    /** For the narration: whom a socket of this family serves. */
    static String clients(StandardProtocolFamily family) {
        return family == StandardProtocolFamily.INET ? "IPv4 clients" : "IPv6 and IPv4 clients";
    }

    /** For the narration: where a socket is bound, {@code " on all interfaces (INADDR_ANY)"} or {@code " on 127.0.0.1"}. */
    static String boundOn(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return address instanceof Inet6Address ? " on all interfaces (in6addr_any)" : " on all interfaces (INADDR_ANY)";
        }
        return " on " + Addresses.host(address);
    }

    /** {@link CountDownLatch#await} with a {@link Duration}, for {@link #awaitStopped}. */
    static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
