package lab.sockets;

/**
 * Ctrl+C (SIGINT) and {@code kill} (SIGTERM) stop a server cleanly: it stops accepting, lets the
 * conversations in flight finish, writes out what it holds, and the process exits with code 0, since
 * being stopped is how a server's day normally ends. (The JVM would otherwise exit 130 or 143.)
 */
public final class Shutdown {
    private Shutdown() {}

    /**
     * Runs {@code stop} when the process is told to end, then ends it with exit code 0.
     * {@code stopping} says what happens meanwhile: {@code finishing conversations in flight}.
     */
    public static Thread onSignal(AutoCloseable stop, String stopping, Console console) {
        Thread hook = new Thread(() -> {
            console.event("stop", null, "stopping (signal received): " + stopping);
            try {
                stop.close();
            } catch (Exception e) {
                console.problem("stop", null, "while stopping: " + e);
            }
            console.event("stop", null, "stopped");
            console.flush();
            Runtime.getRuntime().halt(0);
        }, "shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // a signal came while the server was starting: the JVM is ending already
        }
        return hook;
    }

    /** The server ended by itself (a failure): no signal handling left to do. */
    public static void cancel(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running: it decides the exit code
        }
    }
}
