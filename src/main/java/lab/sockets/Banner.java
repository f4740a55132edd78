package lab.sockets;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The lines a server prints when it starts, as the JDK's {@code jwebserver} does: the address and port
 * it really got (so {@code --port 0} is usable), "all interfaces" for the wildcard (the slides'
 * {@code HOST = ""}, INADDR_ANY), and the addresses of this machine that students can type.
 * <pre>
 *   tcp-server listening on 0.0.0.0 port 65432 (all interfaces)
 *   students can connect to: 192.168.1.23 port 65432, 10.8.0.5 port 65432 (and localhost on this machine)
 * </pre>
 */
public final class Banner {
    private Banner() {}

    public static String listening(String server, InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        return server + " listening on " + Console.host(address) + " port " + bound.getPort()
                + (address.isAnyLocalAddress() ? " (all interfaces)" : "");
    }

    public static String reachableAt(InetSocketAddress bound) {
        int port = bound.getPort();
        InetAddress address = bound.getAddress();
        if (address.isLoopbackAddress()) {
            return "only this machine can connect (loopback): use --bind 0.0.0.0 or leave --bind out for the class";
        }
        List<String> where = new ArrayList<>();
        if (address.isAnyLocalAddress()) {
            for (InetAddress mine : machineAddresses(address instanceof Inet4Address)) {
                where.add(Console.host(mine) + " port " + port);
            }
        } else {
            where.add(Console.host(address) + " port " + port);
        }
        if (where.isEmpty()) {
            return "no network interface is up: only this machine can connect (localhost port " + port + ")";
        }
        return "students can connect to: " + String.join(", ", where)
                + (address.isAnyLocalAddress() ? " (and localhost on this machine)" : "");
    }

    /** This machine's addresses others can reach: interfaces that are up, not loopback, not link-local. */
    static List<InetAddress> machineAddresses(boolean ipv4Only) {
        List<InetAddress> found = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    boolean usable = !address.isLinkLocalAddress() && !address.isLoopbackAddress();
                    if (usable && (!ipv4Only || address instanceof Inet4Address)) {
                        found.add(address);
                    }
                }
            }
        } catch (SocketException e) {
            // no list of interfaces: the banner just says so
        }
        found.sort((a, b) -> Boolean.compare(!(a instanceof Inet4Address), !(b instanceof Inet4Address)));
        return found;
    }
}
