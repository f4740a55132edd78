package lab.sockets;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Addresses, in one place: how people write them, which socket family serves them, how a typed host is
 * resolved, and which of this machine's addresses students can reach. Never a reverse DNS lookup.
 */
public final class Addresses {
    private Addresses() {}

    /** {@code 127.0.0.1:52814}, or {@code [::1]:52814} for IPv6. */
    public static String format(SocketAddress address) {
        if (!(address instanceof InetSocketAddress)) {
            return String.valueOf(address);
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        String host = inet.getAddress() == null ? inet.getHostString() : host(inet.getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }

    /**
     * An address as people write it: {@code 192.168.1.23}, {@code fd00::2} (Java would print
     * {@code fd00:0:0:0:0:0:0:2%eth0}), and {@code 0.0.0.0} (or {@code ::} for IPv6) for the wildcard, as the
     * JDK's jwebserver does.
     */
    public static String host(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return address instanceof Inet6Address ? "::" : "0.0.0.0";
        }
        String host = address.getHostAddress();
        if (host.indexOf(':') < 0) {
            return host;
        }
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);   // the interface scope (%eth0) is not typed by users
        }
        // the longest run of zero groups becomes "::" (RFC 5952)
        String padded = ":" + host + ":";
        String longest = null;
        for (String run = ":0:0:0:0:0:0:0:0:"; run.length() > 3; run = run.substring(2)) {
            if (padded.contains(run)) {
                longest = run;
                break;
            }
        }
        if (longest == null) {
            return host;
        }
        String compressed = padded.replaceFirst(longest, "::");
        return compressed.substring(compressed.startsWith("::") ? 0 : 1,
                compressed.length() - (compressed.endsWith("::") ? 0 : 1));
    }

    /**
     * The socket family for talking to or binding {@code address}, as in the slides, where {@code AF_INET}
     * and {@code HOST = ""} (0.0.0.0) go together: IPv4 by default, IPv6 for an IPv6 address such as
     * {@code ::} (which on Linux takes IPv4 clients too). An IPv4 socket also spares every connection and
     * datagram the kernel's IPv4-mapped-IPv6 path.
     */
    public static StandardProtocolFamily family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
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

    /** This machine's addresses others can reach: interfaces that are up, not loopback, not link-local. */
    public static List<InetAddress> machineAddresses(boolean ipv4Only) {
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
            // no list of interfaces: the caller says so
        }
        found.sort((a, b) -> Boolean.compare(!(a instanceof Inet4Address), !(b instanceof Inet4Address)));
        return found;
    }
}
