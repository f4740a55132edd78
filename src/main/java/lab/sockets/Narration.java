package lab.sockets;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;

/**
 * The slides' steps, named once: {@code --explain} prints each socket call as three columns, the slides'
 * Python, the Java call doing it here, and what came of it.
 * <pre>
 *   15:32:01.118  s.bind(("", 65432))  ServerSocketChannel.bind(0.0.0.0:65432, 4096)  bound to port 65432 on all interfaces (INADDR_ANY)
 * </pre>
 * The engines call one method per step, so they read like the slides, and the same step is worded the same
 * by every server ({@code --iterative} and the default differ only where they really do). Every method does
 * nothing unless {@code --explain} is on; callers on a hot path check {@link #on()} before building arguments.
 */
public final class Narration {
    /** How many bytes of a piece of data are shown, Python-style. */
    private static final int SHOWN_BYTES = 60;

    private final Console console;

    public Narration(Console console) {
        this.console = console;
    }

    public boolean on() {
        return console.explaining();
    }

    // ---- the servers' steps, in the slides' order ----

    /** {@code s = socket.socket(AF_INET, SOCK_STREAM)}, or {@code SOCK_DGRAM} for UDP. */
    public void socket(StandardProtocolFamily family, boolean tcp, String java) {
        String var = tcp ? "s" : "sock";
        console.explain(null, var + " = socket.socket(AF_" + family + ", " + (tcp ? "SOCK_STREAM" : "SOCK_DGRAM") + ")", java,
                "a " + (tcp ? "TCP" : "UDP") + " socket for " + (family == StandardProtocolFamily.INET ? "IPv4 clients" : "IPv6 and IPv4 clients"));
    }

    /** {@code s.bind((HOST, PORT))}: where the socket was bound, or why it could not be. */
    public void bind(boolean tcp, InetSocketAddress asked, String java, InetSocketAddress bound, IOException failure) {
        if (!on()) {
            return;
        }
        String host = asked.getAddress().isAnyLocalAddress() ? "" : Addresses.host(asked.getAddress());
        String python = (tcp ? "s" : "sock") + ".bind((\"" + host + "\", " + asked.getPort() + "))";
        if (failure != null) {
            console.explain(null, python, java, "failed: " + Errno.describe(failure));
            return;
        }
        console.explain(null, python, java, "bound to port " + bound.getPort() + boundOn(bound.getAddress())
                + (asked.getPort() == 0 ? ", a port the OS chose" : "")
                + (tcp ? "" : "; no listen() or accept() in UDP: datagrams from anyone arrive on this one socket"));
    }

    /** {@code s.listen(backlog)}; {@code queue} says what the kernel does with waiting clients. */
    public void listen(String pythonBacklog, int backlog, String queue) {
        console.explain(null, "s.listen(" + pythonBacklog + ")", "(the same bind call, backlog " + backlog + ")",
                "listening: the kernel completes handshakes by itself and " + queue);
    }

    /** {@code client, address = s.accept()} before a client is there: how this server waits for one. */
    public void acceptWaiting(String java, String how) {
        console.explain(null, "client, address = s.accept()", java, how);
    }

    /** {@code client, address = s.accept()} returned: a new socket for this client. */
    public void accepted(SocketAddress peer, String java) {
        console.explain(peer, "client, address = s.accept()", java, "a new socket, just for this client");
    }

    /** {@code client.send(b"What's your student ID?\n")}. */
    public void sendPrompt(SocketAddress peer, String java, int sent, int left) {
        console.explain(peer, "client.send(b\"What's your student ID?\\n\")", java, sentText(sent, left));
    }

    /**
     * {@code client.recv(1000)}: what one read brought. {@code idSoFar} is whether the ID is still being
     * read and this piece had no newline: TCP is a byte stream, so one recv is not one message.
     */
    public void recv(SocketAddress peer, String java, byte[] data, int n, String stillWaiting) {
        String result = n < 0 ? "b'': end of stream, the client closed its side"
                : Protocol.bytesCount(n) + ": " + Protocol.pythonBytes(data, 0, n, SHOWN_BYTES);
        console.explain(peer, "client.recv(1000)", java, stillWaiting == null ? result : result + " (" + stillWaiting + ")");
    }

    /** {@code student_id.upper().decode('utf-8')}: the ID as the server shows it, and why it ended. */
    public void upper(SocketAddress peer, byte[] id, IdReader.End end) {
        if (on()) {
            console.explain(peer, "student_id.upper().decode('utf-8')", "Protocol.upperCaseAscii()",
                    Protocol.escape(id) + " (" + end + ")");
        }
    }

    /** {@code client.send(b"ID received: " + student_id + b"\n")}, or the line saying it was not recorded. */
    public void sendAnswer(SocketAddress peer, String java, boolean acknowledgement, int sent, int left) {
        console.explain(peer, acknowledgement ? "client.send(b\"ID received: \" + student_id + b\"\\n\")"
                : "client.send(b\"ID not recorded: ...\\n\")", java, sentText(sent, left));
    }

    /** {@code client.shutdown(socket.SHUT_WR)}: our FIN, before draining what the client still sends. */
    public void shutdownOutput(SocketAddress peer, String java) {
        console.explain(peer, "client.shutdown(socket.SHUT_WR)", java,
                "FIN sent: nothing more from us; waiting for the client's end of stream before closing");
    }

    /** {@code client.close()}. */
    public void close(SocketAddress peer, String java, String after) {
        console.explain(peer, "client.close()", java, "connection closed" + after);
    }

    /** {@code data, addr = sock.recvfrom(1024)}: one whole datagram, of which {@code start} is the beginning. */
    public void recvfrom(SocketAddress sender, int length, byte[] start) {
        console.explain(sender, "data, addr = sock.recvfrom(1024)", "DatagramChannel.receive()",
                Protocol.bytesCount(length) + ": " + Protocol.pythonBytes(start, 0, start.length, SHOWN_BYTES)
                        + " from " + Addresses.format(sender)
                        + (length > 1024 ? " (the slides' recvfrom(1024) would have lost " + (length - 1024)
                        + " bytes of it)" : ""));
    }

    /** {@code sock.sendto(b'data received', addr)}. */
    public void sendto(SocketAddress to, int sent) {
        console.explain(to, "sock.sendto(b'data received', addr)", "DatagramChannel.send()",
                sent == 0 ? "not sent: the send buffer is full" : Protocol.bytesCount(sent) + " sent");
    }

    // ---- the clients' steps ----

    /** {@code s = socket.socket(AF_INET, SOCK_STREAM)} in a client, or the UDP client's {@code sock}. */
    public void clientSocket(SocketAddress server, boolean tcp) {
        if (tcp) {
            console.explain(server, "s = socket.socket(AF_INET, SOCK_STREAM)", "new Socket()", "a TCP socket");
        } else {
            console.explain(server, "sock = socket.socket(AF_INET, SOCK_DGRAM)", "new DatagramSocket()",
                    "a UDP socket; no connect(): each datagram names its destination");
        }
    }

    /** {@code s.connect((HOST, PORT))}: from which local address, or why it failed. */
    public void connect(InetSocketAddress server, int millis, SocketAddress local, IOException failure) {
        if (!on()) {
            return;
        }
        String python = "s.connect((\"" + server.getHostString() + "\", " + server.getPort() + "))";
        String java = "Socket.connect(" + Addresses.format(server) + ", " + millis + " ms)";
        if (failure == null) {
            console.explain(server, python, java, "connected from " + Addresses.format(local) + " (a port the OS chose for us)");
        } else {
            Errno errno = Errno.of(failure);
            console.explain(server, python, java, "failed: " + (errno == Errno.ECONNREFUSED
                    ? errno.name() + ": nothing is listening on " + Addresses.format(server) + "; is the server running?"
                    : Errno.describe(failure)));
        }
    }

    /** The client's {@code s.recv(1000)}: the prompt, or (read until the server closes) its answer. */
    public void clientRecv(SocketAddress server, String java, byte[] data) {
        if (on()) {
            console.explain(server, "s.recv(1000)", java, Protocol.bytesCount(data.length) + ": "
                    + Protocol.pythonBytes(data, 0, data.length, SHOWN_BYTES));
        }
    }

    /** {@code response = input(prompt).encode('utf-8')}: typed, or given with {@code --id} instead. */
    public void input(SocketAddress server, boolean typed, String id) {
        console.explain(server, "response = input(prompt).encode('utf-8')",
                typed ? "BufferedReader.readLine()" : "not called: the ID came from --id", Protocol.escape(id));
    }

    /** {@code s.send(response)}: one piece of the line. */
    public void send(SocketAddress server, byte[] line, int at, int n) {
        if (on()) {
            console.explain(server, "s.send(response)", "OutputStream.write()", Protocol.bytesCount(n) + " sent: "
                    + Protocol.pythonBytes(line, at, n, SHOWN_BYTES));
        }
    }

    /** The client's {@code s.close()}. */
    public void clientClose(SocketAddress server) {
        console.explain(server, "s.close()", "Socket.close()", "connection closed");
    }

    /** The UDP client's {@code sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT))}. */
    public void sendMessage(SocketAddress server, int length, int fromPort) {
        console.explain(server, "sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT))", "DatagramSocket.send()",
                Protocol.bytesCount(length) + " sent from port " + fromPort + " (the OS chose it); UDP gives no sign whether they arrive");
    }

    /** The UDP client's {@code data, addr = sock.recvfrom(1024)}: the reply, or nothing within the timeout (null). */
    public void receiveReply(SocketAddress server, byte[] reply, SocketAddress from, long timeoutMillis) {
        if (!on()) {
            return;
        }
        console.explain(server, "data, addr = sock.recvfrom(1024)", "DatagramSocket.receive()", reply == null
                ? "nothing within " + timeoutMillis + " ms (timeout): the datagram or its reply was lost, or nobody listens"
                : Protocol.bytesCount(reply.length) + ": " + Protocol.pythonBytes(reply, 0, reply.length, SHOWN_BYTES)
                        + " from " + Addresses.format(from));
    }

    private static String sentText(int sent, int left) {
        return Protocol.bytesCount(sent) + " sent" + (left > 0 ? ", " + left + " to go when the client's window opens" : "");
    }

    /** Where a socket is bound: {@code " on all interfaces (INADDR_ANY)"} or {@code " on 127.0.0.1"}. */
    private static String boundOn(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return address instanceof Inet6Address ? " on all interfaces (in6addr_any)" : " on all interfaces (INADDR_ANY)";
        }
        return " on " + Addresses.host(address);
    }
}
