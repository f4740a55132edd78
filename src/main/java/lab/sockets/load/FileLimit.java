package lab.sockets.load;

import lab.sockets.Console;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Every client is one open socket, and every socket is one file descriptor; Linux allows a process 1024 by
 * default ({@code ulimit -n}). Better to say so before the run than to count hundreds of EMFILE errors.
 */
final class FileLimit {
    /** Descriptors the JVM itself keeps open (jar files, selectors, stdout...). */
    private static final long JVM_OWN = 100;

    private FileLimit() {}

    static void warnIfTooLow(int sockets, Console console) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
            long max = ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
            if (sockets + JVM_OWN > max) {
                console.problem("warning", null, "this process may open only " + max + " files (ulimit -n), too few for "
                        + sockets + " sockets: expect EMFILE errors, or raise it first, e.g. ulimit -n "
                        + (sockets + 1000));
            }
        }
    }
}
