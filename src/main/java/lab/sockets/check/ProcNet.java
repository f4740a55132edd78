package lab.sockets.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * What Linux's socket tables say ({@code /proc/net/tcp}, {@code udp}, and their IPv6 twins), the same
 * tables {@code ss} and {@code netstat} read. The checker looks there rather than at the program:
 * <ul>
 *   <li>whether a server is ready: its socket is bound (UDP) or listening (TCP). Knocking instead would
 *       cost the program a conversation, and a program with no loop, as in the slides, has only one;</li>
 *   <li>whether a peer has read what was sent to it ({@code rx_queue} back to 0), so that the next
 *       piece is sent only once the first one was {@code recv()}ed, whatever the machine's load.</li>
 * </ul>
 * A line of {@code /proc/net/tcp}: {@code 0: 0100007F:FF98 00000000:0000 0A 00000000:00000000 ...}, that is
 * local address:port, remote address:port, state ({@code 0A} = LISTEN), tx_queue:rx_queue, in hex.
 * These tables describe the checker's own network namespace, which is the program's.
 */
final class ProcNet {
    private ProcNet() {}

    private static final String LISTEN = "0A";

    /** Whether a TCP socket is listening on {@code port} (any address). */
    static boolean tcpListening(int port) {
        return find(new String[] {"tcp", "tcp6"}, port, -1, true) >= 0;
    }

    /** Whether a UDP socket is bound to {@code port} (any address). */
    static boolean udpBound(int port) {
        return find(new String[] {"udp", "udp6"}, port, -1, false) >= 0;
    }

    /**
     * The bytes waiting unread in the TCP socket whose local port is {@code localPort} and remote port
     * {@code remotePort}, or -1 when there is no such socket (or no {@code /proc}).
     */
    static long tcpUnread(int localPort, int remotePort) {
        return find(new String[] {"tcp", "tcp6"}, localPort, remotePort, false);
    }

    /** Whether the tables can be read at all (Linux). */
    static boolean available() {
        return Files.isReadable(Paths.get("/proc/net/tcp"));
    }

    /** The rx_queue of the first matching socket, or -1. */
    private static long find(String[] tables, int localPort, int remotePort, boolean listening) {
        for (String table : tables) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Paths.get("/proc/net", table), ISO_8859_1);
            } catch (IOException e) {
                continue;   // no IPv6, or no /proc
            }
            for (int i = 1; i < lines.size(); i++) {   // line 0 is the header
                String[] fields = lines.get(i).trim().split("\\s+");
                if (fields.length < 5) {
                    continue;
                }
                boolean matches = port(fields[1]) == localPort
                        && (remotePort < 0 || port(fields[2]) == remotePort)
                        && (!listening || fields[3].equals(LISTEN));
                if (matches) {
                    return Long.parseLong(fields[4].substring(fields[4].indexOf(':') + 1), 16);
                }
            }
        }
        return -1;
    }

    private static int port(String addressAndPort) {
        return Integer.parseInt(addressAndPort.substring(addressAndPort.indexOf(':') + 1), 16);
    }
}
