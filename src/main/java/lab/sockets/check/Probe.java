package lab.sockets.check;

import lab.sockets.Addresses;
import lab.sockets.Errno;
import lab.sockets.Protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The checker's raw TCP steps, as the slides' client takes them ({@code connect}, {@code recv},
 * {@code send}), each bounded by a deadline, each saying what came and how it ended.
 */
final class Probe {
    private Probe() {}

    /** The most bytes kept of one read; more is counted, not kept. */
    static final int MAX_KEPT = 64 * 1024;

    /** How a read ended. */
    enum End { NEWLINE, CLOSED, RESET, QUIET, DEADLINE }

    /** What one read got: the bytes, how it ended, and when the first byte came (ms after the read began, or -1). */
    record Received(byte[] bytes, End end, long firstMillis, long millis) {
        boolean closed() {
            return end == End.CLOSED || end == End.RESET;
        }

        /** {@code b'...' (24 bytes) after 3 ms, ended by \n}, or {@code nothing in 3000 ms, ...}. */
        String describe() {
            if (bytes.length == 0) {
                return "nothing in " + millis + " ms" + (closed() ? ", " + ending() : "");
            }
            return Evidence.bytes(bytes) + " after " + firstMillis + " ms, " + ending();
        }

        /** How the read ended, worded for the evidence's {@code came:} line. */
        private String ending() {
            return switch (end) {
                case NEWLINE -> "ended by \\n";
                case CLOSED -> "then the connection was closed";
                case RESET -> "then the connection was reset";
                case QUIET -> "then nothing for " + Protocol.QUIET_PAUSE.toMillis() + " ms";
                case DEADLINE -> "then nothing more until the time ran out";
            };
        }
    }

    /** {@code s.connect((HOST, PORT))}, by the deadline; a refusal or a timeout ends the case with evidence. */
    static Socket connect(Trial trial, InetSocketAddress to, long deadline) throws Finding.Stop {
        Socket socket = trial.keep(new Socket());
        long began = System.nanoTime();
        try {
            socket.setTcpNoDelay(true);   // each send() its own segment, as the cases intend
            socket.connect(to, millisUntil(deadline));
            return socket;
        } catch (IOException e) {
            long took = (System.nanoTime() - began) / 1_000_000;
            Errno errno = Errno.of(e);
            throw Evidence.expected("a connection to " + Addresses.format(to))
                    .came(errno == Errno.ECONNREFUSED ? "refused after " + took + " ms: nothing listens there"
                            : "no connection after " + took + " ms: " + Errno.describe(e))
                    .hint(errno == Errno.ECONNREFUSED ? "the program stopped listening (see its output below)"
                            + " or listens on another address" : "the program accepts no connection")
                    .stop();
        }
    }

    /** {@code s.recv()} until a {@code \n}, the end of the stream, a quiet pause once bytes came, or the deadline. */
    static Received readLine(Socket socket, long deadline) throws IOException {
        return read(socket, deadline, true);
    }

    /** Everything until the peer closes (or resets), or the deadline. */
    static Received readToEnd(Socket socket, long deadline) throws IOException {
        return read(socket, deadline, false);
    }

    private static Received read(Socket socket, long deadline, boolean line) throws IOException {
        long began = System.nanoTime();
        long first = -1;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        End end;
        while (true) {
            long quietEnd = first < 0 || !line ? deadline
                    : Math.min(deadline, System.nanoTime() + Protocol.QUIET_PAUSE.toNanos());
            int n;
            try {
                socket.setSoTimeout(millisUntil(quietEnd));
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                end = quietEnd == deadline ? End.DEADLINE : End.QUIET;
                break;
            } catch (SocketException e) {
                end = End.RESET;   // "Connection reset": the peer closed with unread data, or crashed
                break;
            }
            if (n < 0) {
                end = End.CLOSED;
                break;
            }
            if (first < 0) {
                first = (System.nanoTime() - began) / 1_000_000;
            }
            got.write(buffer, 0, Math.min(n, MAX_KEPT - got.size()));
            if (line && indexOf(buffer, n, Protocol.NEWLINE) >= 0) {
                end = End.NEWLINE;
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                end = End.DEADLINE;
                break;
            }
        }
        return new Received(got.toByteArray(), end, first, (System.nanoTime() - began) / 1_000_000);
    }

    /** {@code s.send(data)}: all of it. */
    static void send(Socket socket, byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        socket.getOutputStream().flush();
    }

    /**
     * How long to wait for the peer to read a first piece before the next is sent anyway: a program blocked
     * in {@code recv()} takes it at once, and one that waits for more (a quiet pause of 500 ms, as
     * {@code sockets tcp-server} allows) must still see the rest in time, however loaded the machine.
     */
    static final long READ_WAIT_MILLIS = 250;

    /**
     * Waits until the peer has read everything sent to it on this connection, as the socket tables show,
     * so that the next piece arrives as a separate {@code recv()}; at most {@link #READ_WAIT_MILLIS}.
     * Whether it has.
     */
    static boolean waitUntilRead(int peerPort, int ourPort) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_WAIT_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            long unread = ProcNet.tcpUnread(peerPort, ourPort);
            if (unread == 0) {
                return true;
            }
            if (unread < 0 && !ProcNet.available()) {
                LockSupport.parkNanos(deadline - System.nanoTime());   // no tables: give it the time
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return false;
    }

    /** Ends a conversation as a polite client does: no more to send, then read what is left (briefly). */
    static void finish(Socket socket) {
        try {
            if (socket.isConnected() && !socket.isClosed() && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
            if (socket.isConnected() && !socket.isClosed()) {
                readToEnd(socket, System.nanoTime() + Protocol.QUIET_PAUSE.toNanos());
            }
        } catch (IOException e) {
            // the server is done with us either way
        }
    }

    /** Closes with a reset (SO_LINGER 0): the case is over, and no TIME_WAIT is left behind on either side. */
    static void abort(Socket socket) {
        try {
            if (!socket.isClosed() && socket.isConnected()) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }

    /** Milliseconds left until {@code deadline}, at least 1 (0 would mean "forever" to a socket). */
    static int millisUntil(long deadline) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    private static int indexOf(byte[] data, int length, byte wanted) {
        for (int i = 0; i < length; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
