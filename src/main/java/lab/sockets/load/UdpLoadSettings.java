package lab.sockets.load;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What a {@link UdpLoad} run does.
 *
 * @param server   the server to drive
 * @param inFlight datagrams kept outstanding: a new one goes as each reply comes
 * @param duration how long it runs
 * @param timeout  a datagram with no reply after this long is counted as lost
 */
public record UdpLoadSettings(InetSocketAddress server, int inFlight, Duration duration, Duration timeout) {
    public static final int DEFAULT_IN_FLIGHT = 64;
    public static final int MAX_IN_FLIGHT = 4096;
    /** As {@code udp-client}: a reply later than this is not coming. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    public UdpLoadSettings {
        if (inFlight < 1 || inFlight > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("in flight must be between 1 and " + MAX_IN_FLIGHT);
        }
    }

    public static UdpLoadSettings of(InetSocketAddress server, int inFlight, Duration duration) {
        return new UdpLoadSettings(server, inFlight, duration, DEFAULT_TIMEOUT);
    }

    public UdpLoadSettings withTimeout(Duration t) {
        return new UdpLoadSettings(server, inFlight, duration, t);
    }
}
