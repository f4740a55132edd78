package lab.sockets;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * The C error name behind a Java network exception ({@code ECONNREFUSED}, {@code EADDRINUSE}, ...).
 * Java hides errno inside exception messages; students meet the names in man pages and in Python's
 * {@code OSError}, so the tool says them out loud.
 */
public enum Errno {
    ECONNREFUSED("connection refused"),
    ECONNRESET("connection reset by peer"),
    EPIPE("broken pipe"),
    ETIMEDOUT("timed out"),
    EADDRINUSE("address already in use"),
    EADDRNOTAVAIL("cannot assign requested address"),
    EACCES("permission denied"),
    EHOSTUNREACH("no route to host"),
    ENETUNREACH("network is unreachable"),
    EMFILE("too many open files"),
    EAI_NONAME("unknown host"),
    EBADF("socket already closed");

    private final String meaning;

    Errno(String meaning) {
        this.meaning = meaning;
    }

    /** {@code ECONNREFUSED (connection refused)} */
    @Override
    public String toString() {
        return name() + " (" + meaning + ")";
    }

    /** {@code ECONNRESET (connection reset by peer)}, or Java's own message when no errno fits. */
    public static String describe(IOException e) {
        Errno errno = of(e);
        return errno != null ? errno.toString() : String.valueOf(e.getMessage());
    }

    /** The errno, or {@code null} when the exception names none this tool knows. */
    public static Errno of(IOException e) {
        if (e instanceof UnknownHostException) return EAI_NONAME;
        if (e instanceof SocketTimeoutException) return ETIMEDOUT;
        if (e instanceof PortUnreachableException) return ECONNREFUSED;
        if (e instanceof NoRouteToHostException) return EHOSTUNREACH;
        if (e instanceof ClosedChannelException) return EBADF;
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        for (Errno errno : values()) {
            if (message.contains(errno.meaning)) {
                return errno;
            }
        }
        if (message.contains("reset")) return ECONNRESET;
        if (message.contains("timed out")) return ETIMEDOUT;
        if (e instanceof ConnectException) return ECONNREFUSED;
        if (e instanceof BindException) return EADDRINUSE;
        return null;
    }
}
