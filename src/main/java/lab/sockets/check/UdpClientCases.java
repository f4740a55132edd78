package lab.sockets.check;

import lab.sockets.Protocol;
import lab.sockets.check.Check.Needs;
import lab.sockets.check.Datagrams.Datagram;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static lab.sockets.check.Kind.REQUIRED;
import static lab.sockets.check.Kind.ROBUST;
import static lab.sockets.check.Slides.RECVFROM;
import static lab.sockets.check.Slides.SENDTO;

/**
 * The cases for a student's UDP client. The checker is the server: it binds the port the program is
 * told, waits for the datagram, and answers {@code data received} to the address it came from.
 * <pre>
 *   sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT))
 *   data, addr = sock.recvfrom(1024)
 * </pre>
 */
final class UdpClientCases {
    private UdpClientCases() {}

    /**
     * How long the checker holds its reply, to see whether the program is still there to receive it: a
     * program that sends and ends is gone by then; one waiting in {@code recvfrom()} is not.
     */
    static final long REPLY_DELAY_MILLIS = 500;
    /** The reply as a console shows it. */
    static final String REPLY_TEXT = new String(Protocol.UDP_REPLY, UTF_8);

    private static final Role ROLE = Role.UDP_CLIENT;

    static List<Check> all() {
        return List.of(SENDS, RECEIVES, SHOWS_REPLY, NO_REPLY, RETRIES);
    }

    private static final Check SENDS = Check.of(ROLE, "sends", REQUIRED, Needs.OUTPUT, UdpClientCases::sends,
            "sends a datagram to the port it is given", SENDTO);
    private static Finding sends(Trial t) throws Exception {
        Datagram sent = firstDatagram(t, bind(t));
        return Finding.pass("got " + sent.describe());
    }

    private static final Check RECEIVES = Check.of(ROLE, "receives", REQUIRED, Needs.OUTPUT, UdpClientCases::receives,
            "waits for the reply and receives it (then shows it, or ends with status 0)", RECVFROM);
    private static Finding receives(Trial t) throws Exception {
        DatagramSocket server = bind(t);
        Datagram sent = firstDatagram(t, server);
        Program program = t.program();
        long held = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPLY_DELAY_MILLIS);
        if (program.waitForExit(held)) {
            return Evidence.expected("the program waiting for the reply to its datagram")
                    .came("it ended, with status " + program.exitStatus() + ", before any reply ("
                            + REPLY_DELAY_MILLIS + " ms after the checker got its datagram)")
                    .hint("the slides' client waits for the server's answer after sending: " + RECVFROM)
                    .failed();
        }
        Datagrams.sendto(server, Protocol.UDP_REPLY, sent.from());
        long replied = t.millis();
        long until = t.soon();
        while (!program.stdout().waitFor(REPLY_TEXT, Math.min(until, System.nanoTime() + 20_000_000L))) {
            if (program.exitStatus() != null || System.nanoTime() - until > 0) {
                break;
            }
        }
        if (program.stdout().text().contains(REPLY_TEXT)) {
            return Finding.pass("showed the reply " + (t.millis() - replied) + " ms after it was sent");
        }
        if (program.exitStatus() != null && program.exitStatus() == 0) {
            return Finding.pass("ended with status 0 " + (t.millis() - replied) + " ms after the reply");
        }
        return Evidence.expected("the reply received: the program shows it, or ends with status 0")
                .came(program.exitStatus() == null ? "neither, " + (t.millis() - replied) + " ms after the reply was sent"
                        : "it ended with status " + program.exitStatus())
                .hint(program.exitStatus() == null
                        ? "receive from the socket that sent the datagram: " + RECVFROM
                        : "it ended with an error: its stderr below says which")
                .failed();
    }

    private static final Check SHOWS_REPLY = Check.of(ROLE, "shows-reply", ROBUST, Needs.OUTPUT,
            UdpClientCases::showsReply, "shows the reply it received on its console",
            "print(\"received message: %s\" % data)");
    private static Finding showsReply(Trial t) throws Exception {
        DatagramSocket server = bind(t);
        Datagram sent = firstDatagram(t, server);
        Datagrams.sendto(server, Protocol.UDP_REPLY, sent.from());
        long replied = t.millis();
        if (t.program().stdout().waitFor(REPLY_TEXT, t.soon())) {
            return Finding.pass("showed the reply " + (t.millis() - replied) + " ms after it was sent");
        }
        return Evidence.expected(REPLY_TEXT + " on the program's standard output, once the reply "
                        + Evidence.bytes(Protocol.UDP_REPLY) + " was sent")
                .came("not there after " + (t.millis() - replied) + " ms (its output is below)")
                .hint("show what came back, so the student sees the server answered: print(\"received message: %s\""
                        + " % data)")
                .failed();
    }

    private static final Check NO_REPLY = Check.of(ROLE, "no-reply", ROBUST, Needs.OUTPUT, UdpClientCases::noReply,
            "gives up, in bounded time, when no reply comes", RECVFROM);
    private static Finding noReply(Trial t) throws Exception {
        firstDatagram(t, bind(t));
        return ClientCases.givesUp(t, "after sending", "when no reply comes",
                "recvfrom() waits forever for a reply that was lost: UDP does not resend. Call sock.settimeout(1)"
                        + " and catch socket.timeout");
    }

    private static final Check RETRIES = Check.of(ROLE, "retries", ROBUST, Needs.OUTPUT, UdpClientCases::retries,
            "sends again when the first datagram gets no reply (UDP loses datagrams)", SENDTO);
    private static Finding retries(Trial t) throws Exception {
        DatagramSocket server = bind(t);
        firstDatagram(t, server);   // lost, as UDP may lose it: no reply
        long lost = t.millis();
        Datagram again = Datagrams.recvfrom(server, t.deadline());
        if (again == null) {
            return Evidence.expected("the datagram sent again, once no reply came to the first")
                    .came("nothing more in " + (t.millis() - lost) + " ms")
                    .hint("UDP loses datagrams and never resends them: wait for the reply with a timeout"
                            + " (sock.settimeout(1)), then send again, a few times, before giving up")
                    .failed();
        }
        Datagrams.sendto(server, Protocol.UDP_REPLY, again.from());
        return Finding.pass("sent again " + (t.millis() - lost) + " ms after the first datagram");
    }

    /** Binds the checker's server socket (a free port with {@code {port}}), then starts the program. */
    private static DatagramSocket bind(Trial t) throws IOException, Finding.Stop {
        DatagramSocket server;
        try {
            server = t.keep(new DatagramSocket(new InetSocketAddress(t.portToBind())));
        } catch (BindException e) {
            throw ClientCases.portInUse(t, "the checker bound to UDP port");
        }
        t.startClient(server.getLocalPort());
        return server;
    }

    /** The program's first datagram, until the deadline or until the program ends without one. */
    private static Datagram firstDatagram(Trial t, DatagramSocket server) throws Exception {
        Program program = t.program();
        while (true) {
            Datagram sent = Datagrams.recvfrom(server, Math.min(t.deadline(), System.nanoTime() + 50_000_000L));
            if (sent != null) {
                return sent;
            }
            if (program.exitStatus() != null || System.nanoTime() - t.deadline() > 0) {
                throw Evidence.expected("a datagram on port " + t.port())
                        .came(program.exitStatus() != null ? "none; the program ended after " + program.millis()
                                + " ms, with status " + program.exitStatus() : "none in " + t.millis() + " ms")
                        .hint(t.portHint("send to that one, as the slides do: " + SENDTO, "send to"))
                        .stop();
            }
        }
    }
}
