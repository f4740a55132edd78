package lab.sockets;

/** A TCP or UDP port: 0 to 65535, where 0 asks the OS to choose one (servers only). */
public class PortConverter implements RangeConverter<Integer> {
    public static final int MAX_PORT = 65_535;

    @Override
    public final Integer read(String value) {
        return RangeConverter.wholeNumber(value, "a port number (0 to " + MAX_PORT + ")");
    }

    @Override
    public String outOfRange(Integer port, String value) {
        return port < 0 || port > MAX_PORT ? port + " is not a port: ports go from 0 to " + MAX_PORT : null;
    }

    /** For clients: port 0 means "any" to a server, but nothing listens there. */
    public static final class Remote extends PortConverter {
        @Override
        public String outOfRange(Integer port, String value) {
            String notAPort = super.outOfRange(port, value);
            if (notAPort == null && port == 0) {
                return "port 0 is not a server's port: give the port the server printed";
            }
            return notAPort;
        }
    }
}
