package lab.sockets;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A TCP or UDP port: 0 to 65535, where 0 asks the OS to choose one (servers only). */
public final class PortConverter implements ITypeConverter<Integer> {
    public static final int MAX_PORT = 65_535;

    @Override
    public Integer convert(String value) {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a port number (0 to " + MAX_PORT + ")");
        }
        if (port < 0 || port > MAX_PORT) {
            throw new TypeConversionException(port + " is not a port: ports go from 0 to " + MAX_PORT);
        }
        return port;
    }

    /** For clients: port 0 means "any" to a server, but nothing listens there. */
    public static class Remote implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port = new PortConverter().convert(value);
            if (port == 0) {
                throw new TypeConversionException("port 0 is not a server's port: give the port the server printed");
            }
            return port;
        }
    }
}
