package lab.sockets.check;

import lab.sockets.Addresses;
import lab.sockets.Protocol;
import lab.sockets.check.Check.Needs;
import lab.sockets.check.Datagrams.Datagram;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.Arrays;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static lab.sockets.check.Kind.REQUIRED;
import static lab.sockets.check.Kind.ROBUST;
import static lab.sockets.check.Slides.RECVFROM;
import static lab.sockets.check.Slides.SENDTO_REPLY;

/**
 * The cases for a student's UDP server. The checker is the client: it sends datagrams, as the slides'
 * client does, and looks at what comes back, and where to.
 * <pre>
 *   sock.bind((UDP_IP, UDP_PORT))
 *   data, addr = sock.recvfrom(1024)
 *   sock.sendto(b'data received', addr)
 * </pre>
 */
final class UdpServerCases {
    private UdpServerCases() {}

    /** The slides' {@code MESSAGE}. */
    static final byte[] MESSAGE = "Hello, World!".getBytes(UTF_8);
    /** After the reply to a later datagram, how long a reply to the loop datagram is still waited for. */
    private static final long LOOP_GRACE_MILLIS = 200;

    private static final Role ROLE = Role.UDP_SERVER;
    private static final String SURVIVE = "one datagram must not end the server: catch the error, and go on to"
            + " the next recvfrom()";

    static List<Check> all() {
        return List.of(REPLY, REPLY_TO_SENDER, ALL_INTERFACES, SECOND_SENDER, LOOP_DOS, EMPTY, INVALID_UTF8,
                OVERSIZED);
    }

    private static final Check REPLY = Check.of(ROLE, "reply", REQUIRED, Needs.SOCKETS, UdpServerCases::reply,
            "answers exactly the 13 bytes data received", SENDTO_REPLY);
    private static Finding reply(Trial t) throws Exception {
        t.startServer();
        DatagramSocket socket = Datagrams.socket(t);
        Datagrams.sendto(socket, MESSAGE, t.server());
        Datagram reply = Datagrams.recvfrom(socket, t.soon());
        if (reply != null && Arrays.equals(reply.bytes(), Protocol.UDP_REPLY)) {
            return Finding.pass(reply.describe());
        }
        return Evidence.expected(Evidence.bytes(Protocol.UDP_REPLY) + " in answer to " + Evidence.bytes(MESSAGE))
                .came(reply == null ? "no reply in " + Trial.PATIENCE.toMillis() + " ms" : reply.describe())
                .hint(replyHint(reply))
                .failed();
    }

    private static String replyHint(Datagram reply) {
        if (reply == null) {
            return "the slides' server answers every datagram: " + SENDTO_REPLY;
        }
        String text = new String(reply.bytes(), UTF_8);
        if (text.equalsIgnoreCase("data received")) {
            return "the letters' case differs: the slides send b'data received', all lower case";
        }
        if (text.trim().equals("data received")) {
            return "exactly the 13 bytes, no newline or space: a client compares bytes, and b'data received\\n' is"
                    + " not b'data received'";
        }
        return "send the slides' reply, byte for byte: " + SENDTO_REPLY;
    }

    private static final Check REPLY_TO_SENDER = Check.of(ROLE, "reply-to-sender", REQUIRED, Needs.SOCKETS,
            UdpServerCases::replyToSender, "sends its reply to the sender's own address and port",
            RECVFROM + " ... " + SENDTO_REPLY);
    private static Finding replyToSender(Trial t) throws Exception {
        t.startServer();
        DatagramSocket socket = Datagrams.socket(t);
        Datagrams.sendto(socket, MESSAGE, t.server());
        Datagram reply = Datagrams.recvfrom(socket, t.soon());
        if (reply != null) {
            return Finding.pass("a reply came back to the sender's port " + socket.getLocalPort());
        }
        return Evidence.expected("a reply to the port the datagram came from (" + socket.getLocalPort() + ")")
                .came("nothing there in " + Trial.PATIENCE.toMillis() + " ms")
                .hint("answer the address recvfrom() gave, as the slides do: " + RECVFROM + ", then " + SENDTO_REPLY
                        + "; the client's port is one its OS chose, not the server's")
                .failed();
    }

    private static final Check ALL_INTERFACES = ServerCases.allInterfaces(ROLE, UdpServerCases::allInterfaces,
            "sock.bind((UDP_IP, UDP_PORT)) with UDP_IP = \"\" (all the interfaces)");
    private static Finding allInterfaces(Trial t) throws Exception {
        InetSocketAddress there = t.startServerOnOwnAddress();
        DatagramSocket socket = Datagrams.socket(t);
        socket.connect(there);   // connected, so that a refusal (ICMP port unreachable) is reported
        Datagrams.sendto(socket, MESSAGE, there);
        try {
            Datagram reply = Datagrams.recvfrom(socket, t.soon());
            return Finding.pass(reply != null ? "answered through " + Addresses.format(there)
                    : "delivered through " + Addresses.format(there) + " (no refusal)");
        } catch (PortUnreachableException e) {
            return Evidence.expected("the datagram delivered through " + Addresses.format(there)
                            + ", this machine's own address")
                    .came("refused: nothing is bound to port " + t.port() + " on " + Addresses.host(there.getAddress()))
                    .hint(ServerCases.onlyOnLoopbackHint("is bound to", "UDP_IP"))
                    .failed();
        }
    }

    private static final Check SECOND_SENDER = Check.of(ROLE, "second-sender", ROBUST, Needs.SOCKETS,
            UdpServerCases::secondSender, "answers a second sender too", RECVFROM);
    private static Finding secondSender(Trial t) throws Exception {
        t.startServer();
        answered(t, MESSAGE, "a first sender");
        answered(t, MESSAGE, "a second sender, from another port");
        return Finding.pass("both answered");
    }

    /**
     * Sends {@code data received} from one socket, then a plain message from another. A server answers
     * datagrams in the order they came, so once the second is answered, a reply to the first would be
     * there already: what it did with the first is known without guessing at a delay.
     */
    private static final Check LOOP_DOS = Check.of(ROLE, "loop-dos", ROBUST, Needs.SOCKETS, UdpServerCases::loopDos,
            "does not answer a datagram that is itself data received (Loop DoS, CVE-2024-2169)", SENDTO_REPLY);
    private static Finding loopDos(Trial t) throws Exception {
        t.startServer();
        DatagramSocket forged = Datagrams.socket(t);
        DatagramSocket plain = Datagrams.socket(t);
        Datagrams.sendto(forged, Protocol.UDP_REPLY, t.server());
        Datagrams.sendto(plain, MESSAGE, t.server());
        Datagram reply = Datagrams.recvfrom(plain, t.soon());
        if (reply == null) {
            return Evidence.expected("no reply to " + Evidence.bytes(Protocol.UDP_REPLY) + ", then a reply to "
                            + Evidence.bytes(MESSAGE) + " from another sender")
                    .came("no reply to the second one either, in " + Trial.PATIENCE.toMillis() + " ms")
                    .hint("the server stopped answering after a datagram that was itself b'data received'")
                    .failed();
        }
        Datagram looped = Datagrams.recvfrom(forged, System.nanoTime() + LOOP_GRACE_MILLIS * 1_000_000);
        if (looped == null) {
            return Finding.pass("no reply to b'data received'; the next sender was answered");
        }
        return Evidence.expected("no reply to a datagram that is itself " + Evidence.bytes(Protocol.UDP_REPLY))
                .came(looped.describe())
                .hint("two servers that answer every datagram, or one forged datagram with another echo service's"
                        + " address, ping-pong data received forever (Loop DoS, CVE-2024-2169): do not answer"
                        + " b'data received' itself, nor a sender's port below 1024")
                .failed();
    }

    private static final Check EMPTY = Check.of(ROLE, "empty", ROBUST, Needs.RESTART, UdpServerCases::empty,
            "answers an empty datagram, and goes on serving", RECVFROM);
    private static Finding empty(Trial t) throws Exception {
        return survives(t, new byte[0], "an empty datagram");
    }

    private static final Check INVALID_UTF8 = Check.of(ROLE, "invalid-utf8", ROBUST, Needs.RESTART,
            UdpServerCases::invalidUtf8, "answers a datagram that is not valid UTF-8, and goes on serving", RECVFROM);
    private static Finding invalidUtf8(Trial t) throws Exception {
        return survives(t, new byte[] {'h', 'i', (byte) 0xff, (byte) 0xfe}, "b'hi\\xff\\xfe'");
    }

    private static final Check OVERSIZED = Check.of(ROLE, "oversized", ROBUST, Needs.RESTART, UdpServerCases::oversized,
            "answers the largest datagram (65,507 bytes), and goes on serving", RECVFROM);
    private static Finding oversized(Trial t) throws Exception {
        byte[] largest = new byte[Protocol.MAX_DATAGRAM_BYTES];
        Arrays.fill(largest, (byte) 'x');
        return survives(t, largest, "a datagram of 65,507 bytes");
    }

    /** {@code data} gets {@code data received}, and the server still answers the next sender. */
    private static Finding survives(Trial t, byte[] data, String what) throws Exception {
        t.startServer();
        DatagramSocket socket = Datagrams.socket(t);
        Datagrams.sendto(socket, data, t.server());
        Datagram reply = Datagrams.recvfrom(socket, t.soon());
        String crashed = "see its output below: " + SURVIVE;
        if (reply == null) {   // what the reply holds is reply's business: here, any answer will do
            return Evidence.expected("a reply (" + Evidence.bytes(Protocol.UDP_REPLY) + ") in answer to " + what)
                    .came("no reply in " + Trial.PATIENCE.toMillis() + " ms")
                    .hint(t.program() != null && t.program().exitStatus() != null ? "the server ended: " + crashed
                            : "every datagram gets the reply, whatever it holds")
                    .failed();
        }
        answered(t, MESSAGE, "the next sender");
        return Finding.pass("answered " + what + ", then the next sender");
    }

    /** A reply comes back to a new socket that sent {@code data}, or the case ends with the evidence. */
    private static void answered(Trial t, byte[] data, String who) throws Exception {
        DatagramSocket socket = Datagrams.socket(t);
        Datagrams.sendto(socket, data, t.server());
        if (Datagrams.recvfrom(socket, t.soon()) == null) {
            Program program = t.program();
            boolean ended = program != null && program.exitStatus() != null;
            throw Evidence.expected("a reply to " + who)
                    .came("none in " + Trial.PATIENCE.toMillis() + " ms" + (ended ? "; the server had ended" : ""))
                    .hint(ended ? "see its output below: " + SURVIVE : "the slides' server answers in a loop: while True: "
                            + RECVFROM + " ...")
                    .stop();
        }
    }
}
