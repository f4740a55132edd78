package lab.sockets;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A failure the user can act on: wrong host, port in use, no reply. {@link Sockets} prints its message as
 * one line, {@code Error: <message>}, and exits 1. Anything else that escapes a command is a bug, and
 * gets a stack trace.
 */
public final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Failure(String message) {
        super(message, null, false, false);
    }

    /** Why a server could not {@code bind()}, in words that say what to do about it. */
    public static Failure cannotBind(IOException e, InetSocketAddress address) {
        int port = address.getPort();
        String host = Addresses.host(address.getAddress());
        Errno errno = Errno.of(e);
        if (errno == Errno.EADDRINUSE) {
            return new Failure("port " + port + " is already in use (is another server running?)");
        }
        if (errno == Errno.EADDRNOTAVAIL) {
            return new Failure("cannot bind " + host + ": it is not an address of this machine"
                    + " (check --bind, or leave it out to listen on all interfaces)");
        }
        if (errno == Errno.EACCES) {
            return new Failure("port " + port + " needs administrator rights (ports below 1024 are privileged);"
                    + " choose a port above 1023");
        }
        return new Failure("cannot bind " + host + " port " + port + ": " + Errno.describe(e));
    }
}
