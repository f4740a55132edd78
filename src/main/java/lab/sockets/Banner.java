package lab.sockets;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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
        return server + " listening on " + Addresses.host(address) + " port " + bound.getPort()
                + (address.isAnyLocalAddress() ? " (all interfaces)" : "");
    }

    /** @param verb what students do: {@code connect to} (TCP), {@code send to} (UDP has no connection) */
    public static String reachableAt(InetSocketAddress bound, String verb) {
        int port = bound.getPort();
        InetAddress address = bound.getAddress();
        if (address.isLoopbackAddress()) {
            return "only this machine can " + verb + " it (loopback): use --bind 0.0.0.0 or leave --bind out for the class";
        }
        List<String> where = new ArrayList<>();
        if (address.isAnyLocalAddress()) {
            for (InetAddress mine : Addresses.machineAddresses(address instanceof Inet4Address)) {
                where.add(Addresses.host(mine) + " port " + port);
            }
        } else {
            where.add(Addresses.host(address) + " port " + port);
        }
        if (where.isEmpty()) {
            return "no network interface is up: only this machine can " + verb + " it (localhost port " + port + ")";
        }
        return "students can " + verb + ": " + String.join(", ", where)
                + (address.isAnyLocalAddress() ? " (and localhost on this machine)" : "");
    }
}
