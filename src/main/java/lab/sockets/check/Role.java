package lab.sockets.check;

import lab.sockets.Protocol;

import java.util.Locale;

/** The four programs a student writes from the slides, each checked by its own part of the catalogue. */
public enum Role {
    TCP_SERVER(Protocol.DEFAULT_TCP_PORT),
    TCP_CLIENT(Protocol.DEFAULT_TCP_PORT),
    UDP_SERVER(Protocol.DEFAULT_UDP_PORT),
    UDP_CLIENT(Protocol.DEFAULT_UDP_PORT);

    private final int slidesPort;

    Role(int slidesPort) {
        this.slidesPort = slidesPort;
    }

    /** As typed on the command line and shown in case IDs: {@code tcp-server}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The port the slides' programs use when {@code --run} has no {@code {port}}. */
    public int slidesPort() {
        return slidesPort;
    }

    /** The slides' name for this program's file: {@code tcp_server.py}. */
    public String slidesFile() {
        return name().toLowerCase(Locale.ROOT) + ".py";
    }

    public boolean isServer() {
        return this == TCP_SERVER || this == UDP_SERVER;
    }

    /** The role named {@code label}, or {@code null}. */
    public static Role of(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        return null;
    }
}
