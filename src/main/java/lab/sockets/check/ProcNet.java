package lab.sockets.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

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
    private static final Path SS = Paths.get("/usr/bin/ss");

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
        if (Files.isExecutable(SS)) {
            long unread = ssUnread(localPort, remotePort);
            if (unread != -2) {
                return unread;
            }
        }
        return find(new String[] {"tcp", "tcp6"}, localPort, remotePort, false);
    }

    /**
     * The same, asked of {@code ss}, which has the kernel filter the sockets: on a machine with tens of
     * thousands of sockets (a load test's TIME_WAITs), reading the whole table takes longer than the pause
     * a server may allow between two pieces of an ID. -2 when {@code ss} could not answer.
     * <pre>
     *   $ ss -tnH '( sport = :40127 and dport = :52814 )'
     *   ESTAB 4      0      127.0.0.1:40127 127.0.0.1:52814
     * </pre>
     */
    private static long ssUnread(int localPort, int remotePort) {
        try {
            Process ss = new ProcessBuilder(SS.toString(), "-tnH",
                    "( sport = :" + localPort + " and dport = :" + remotePort + " )").redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), ISO_8859_1).trim();
            if (!ss.waitFor(2, TimeUnit.SECONDS) || ss.exitValue() != 0) {
                ss.destroyForcibly();
                return -2;
            }
            if (out.isEmpty()) {
                return -1;
            }
            return Long.parseLong(out.split("\\s+")[1]);   // State Recv-Q Send-Q Local Peer
        } catch (IOException | RuntimeException e) {
            return -2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -2;
        }
    }

    /** Whether the tables can be read at all (Linux). */
    static boolean available() {
        return Files.isReadable(Paths.get("/proc/net/tcp"));
    }

    /**
     * The rx_queue of the first matching socket, or -1. A busy machine has thousands of lines (sockets in
     * TIME_WAIT): each line is looked at without splitting it, and a search for a listener stops at the
     * first socket that is not one, since the kernel lists listeners first.
     */
    private static long find(String[] tables, int localPort, int remotePort, boolean listening) {
        String local = hexPort(localPort);
        String remote = remotePort < 0 ? null : hexPort(remotePort);
        for (String table : tables) {
            try (BufferedReader in = Files.newBufferedReader(Paths.get("/proc/net", table), ISO_8859_1)) {
                in.readLine();   // the header
                String line;
                while ((line = in.readLine()) != null) {
                    String[] fields = fields(line);
                    if (fields == null) {
                        continue;
                    }
                    if (listening && !fields[3].equals(LISTEN)) {
                        break;
                    }
                    if (fields[1].endsWith(local) && (remote == null || fields[2].endsWith(remote))) {
                        return Long.parseLong(fields[4].substring(fields[4].indexOf(':') + 1), 16);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no IPv6, or no /proc, or a line cut short: look at the next table
            }
        }
        return -1;
    }

    /** {@code :FF98}, as the tables write port 65432. */
    private static String hexPort(int port) {
        String hex = Integer.toHexString(port).toUpperCase(Locale.ROOT);
        return ":" + "0".repeat(4 - hex.length()) + hex;
    }

    /** The first five fields of a line (slot, local, remote, state, queues), or {@code null}. */
    private static String[] fields(String line) {
        String[] fields = new String[5];
        int at = 0;
        for (int i = 0; i < fields.length; i++) {
            while (at < line.length() && line.charAt(at) == ' ') {
                at++;
            }
            int end = line.indexOf(' ', at);
            if (end < 0) {
                return null;
            }
            fields[i] = line.substring(at, end);
            at = end;
        }
        return fields;
    }
}
