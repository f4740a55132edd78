package lab.sockets.check;

import lab.sockets.Addresses;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One case run once: its port, its deadline, the program started for it (if any) and the sockets opened
 * for it. Closing the trial closes every socket (with a reset, so that no TIME_WAIT is left on the
 * program's port for the next case) and then kills the program with everything it started.
 */
final class Trial implements AutoCloseable {
    /**
     * How long to wait for what a correct program does at once (show a prompt it got, print an ID it read,
     * answer a datagram): the slides' programs take milliseconds; a loaded machine, a little more.
     */
    static final Duration PATIENCE = Duration.ofSeconds(3);
    /** How often to look at the socket tables while a server starts. */
    private static final long POLL_MILLIS = 10;

    private final Setup setup;
    private final CaseInfo info;
    private int port;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final List<Closeable> opened = new ArrayList<>();
    private Program program;

    Trial(Setup setup, CaseInfo info, int port) {
        this.setup = setup;
        this.info = info;
        this.port = port;
        this.deadlineNanos = startNanos + setup.timeLimit().toNanos();
    }

    Setup setup() {
        return setup;
    }

    /** The port under test (for a client's case, 0 until the checker has bound its own socket). */
    int port() {
        return port;
    }

    /** For a client's case: the checker's own socket got port {@code bound}; starts the program, told that port. */
    void startClient(int bound) throws IOException {
        port = bound;
        start();
    }

    /** For a client's case: the port to bind, 0 (any free one) when the command line has {@code {port}}. */
    int portToBind() {
        return setup.choosesPorts() ? 0 : setup.port();
    }

    /** When the case must be over, as {@link System#nanoTime()}. */
    long deadline() {
        return deadlineNanos;
    }

    /** {@link #PATIENCE} from now, but never past the deadline. */
    long soon() {
        return Math.min(deadlineNanos, System.nanoTime() + PATIENCE.toNanos());
    }

    /** Milliseconds since the case began. */
    long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The time limit, for evidence: {@code 10000 ms}. */
    String limit() {
        return setup.timeLimit().toMillis() + " ms";
    }

    /** The server under test: the program's own port on 127.0.0.1, or {@code --host}. */
    InetSocketAddress server() {
        InetAddress host = setup.host() == null ? InetAddress.getLoopbackAddress() : Addresses.resolve(setup.host());
        return new InetSocketAddress(host, port);
    }

    /**
     * For the all-interfaces cases: starts the server ({@link #startServer}) and returns its port on this
     * machine's own address, other than loopback, to reach it through. The case is skipped, before anything
     * starts, when the server is checked through such an address already, or when the machine has none.
     */
    InetSocketAddress startServerOnOwnAddress() throws IOException, InterruptedException, Finding.Stop {
        if (setup.host() != null && !InetAddress.getByName(setup.host()).isLoopbackAddress()) {
            throw new Finding.Stop(Finding.skip("the server is checked through " + setup.host() + " already"));
        }
        List<InetAddress> addresses = Addresses.machineAddresses(true);
        if (addresses.isEmpty()) {
            throw new Finding.Stop(Finding.skip("this machine has no address other than 127.0.0.1 to try"));
        }
        startServer();
        return new InetSocketAddress(addresses.get(0), port);
    }

    /** The program started for this case, or {@code null} for a server the checker did not start. */
    Program program() {
        return program;
    }

    private void start() throws IOException {
        program = Program.start(setup.command(port), setup.dir());
    }

    /**
     * Starts a server's program, then waits until its socket is listening (TCP) or bound (UDP), as the
     * socket tables show. Knocking would cost the program a conversation; the slides' server might have
     * only one. A server the checker did not start is taken as ready.
     */
    void startServer() throws IOException, InterruptedException, Finding.Stop {
        if (!setup.starts()) {
            return;
        }
        start();
        boolean tcp = info.role() == Role.TCP_SERVER;
        String ready = tcp ? "listening on TCP port " + port : "bound to UDP port " + port;
        while (!(tcp ? ProcNet.tcpListening(port) : ProcNet.udpBound(port))) {
            if (!ProcNet.available()) {
                break;   // not Linux: no tables to read, so go on and let the first step say what it finds
            }
            if (program.waitForExit(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS))) {
                throw Evidence.expected("a server " + ready)
                        .came("the program " + program.exited())
                        .hint("see its output below: a server runs until it is stopped")
                        .stop();
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw Evidence.expected("a server " + ready + " within " + limit())
                        .came("nothing " + (tcp ? "listening" : "bound") + " there after " + millis() + " ms")
                        .hint(portHint("does your program use it?", "use"))
                        .stop();
            }
        }
    }

    /**
     * The hint for a program not on the port it was meant to use: the one given with {@code {port}}
     * ({@code whenGiven}), or else the slides' port, which it must {@code verb}.
     */
    String portHint(String whenGiven, String verb) {
        return setup.choosesPorts() ? "the checker gives the port on the command line ({port}): " + whenGiven
                : "without {port} in --run, the program must " + verb + " the slides' port " + port;
    }

    /** Remembers {@code socket} to close (with a reset, if a TCP socket) when the case ends. */
    <T extends Closeable> T keep(T socket) {
        synchronized (opened) {
            opened.add(socket);
        }
        return socket;
    }

    /** The program's side of the evidence ({@link Program#evidence()}), or nothing for a server it did not start. */
    String programEvidence() {
        return program == null ? "" : program.evidence();
    }

    @Override
    public void close() {
        synchronized (opened) {
            for (Closeable socket : opened) {
                if (socket instanceof Socket tcp) {
                    if (program == null) {
                        Probe.finish(tcp);   // a server the checker did not start: leave it as a client would
                    }
                    Probe.abort(tcp);
                } else {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // closing is all that is left to do
                    }
                }
            }
            opened.clear();
        }
        if (program != null) {
            program.close();
        }
    }
}
