package lab.sockets.load;

/**
 * What a {@link UdpLoad} run counted, datagram by datagram; {@link UdpLoadResult} reads it once the run is over.
 * One thread fills it, so its counts are plain fields.
 */
final class UdpLoadStats {
    /** Each answered datagram's round trip: from its sendto() to the recvfrom() of its reply. */
    final Latencies roundTrips = new Latencies();
    long sent;
    /** Replies that were exactly {@code data received}. */
    long answered;
    /** Datagrams given up on: no reply within the timeout. */
    long lost;
    long wrongReplies;
    /** Replies that came after their datagram was given up on. */
    long lateReplies;
    /** ICMP "port unreachable" came back: nothing listens there (any more). */
    long refused;
    /** Datagrams sent but neither answered nor given up on when the run ended. */
    long inFlightAtEnd;
}
