package lab.sockets.load;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What a {@link TcpLoad} run does; see {@link #closedLoop} and {@link #hold}.
 *
 * @param server  the server to drive
 * @param clients simulated clients, each one connection at a time
 * @param duration closed loop: how long it runs
 * @param hold    true for hold mode, false for the closed loop
 * @param holdFor hold mode: how long the connected clients stay silent
 * @param timeout a client that makes no progress for this long is counted as a timeout and closed
 * @param threads event loops driving the clients
 */
public record TcpLoadSettings(InetSocketAddress server, int clients, Duration duration, boolean hold,
                              Duration holdFor, Duration timeout, int threads) {
    public static final int DEFAULT_CLIENTS = 50;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Far more than a class; each client is a socket, so a file descriptor and an ephemeral port. */
    public static final int MAX_CLIENTS = 20_000;

    public TcpLoadSettings {
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new IllegalArgumentException("clients must be between 1 and " + MAX_CLIENTS);
        }
        threads = Math.max(1, Math.min(threads, clients));
    }

    /** {@code clients} clients, each starting a new conversation as soon as one ends, for {@code duration}. */
    public static TcpLoadSettings closedLoop(InetSocketAddress server, int clients, Duration duration) {
        return new TcpLoadSettings(server, clients, duration, false, Duration.ZERO, DEFAULT_TIMEOUT, defaultThreads());
    }

    /** {@code clients} connections held silent for {@code holdFor} once all are prompted, then all answered. */
    public static TcpLoadSettings hold(InetSocketAddress server, int clients, Duration holdFor) {
        return new TcpLoadSettings(server, clients, Duration.ZERO, true, holdFor, DEFAULT_TIMEOUT, defaultThreads());
    }

    public TcpLoadSettings withTimeout(Duration t) {
        return new TcpLoadSettings(server, clients, duration, hold, holdFor, t, threads);
    }

    public TcpLoadSettings withThreads(int n) {
        return new TcpLoadSettings(server, clients, duration, hold, holdFor, timeout, n);
    }

    /** One thread per core, at most 4: enough to keep a server busy, few enough to leave it the CPU. */
    static int defaultThreads() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }
}
