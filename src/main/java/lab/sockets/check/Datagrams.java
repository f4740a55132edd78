package lab.sockets.check;

import lab.sockets.Addresses;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * The checker's raw UDP steps, as the slides write them ({@code sendto}, {@code recvfrom}), each bounded
 * by a deadline.
 */
final class Datagrams {
    private Datagrams() {}

    /** Room for the largest datagram, so nothing is ever cut. */
    private static final int ROOM = 65_535;

    /** One datagram that came: its bytes, who sent it, and when (ms after the wait began). */
    record Datagram(byte[] bytes, InetSocketAddress from, long millis) {
        /** {@code b'data received' (13 bytes) from 127.0.0.1:5005 after 2 ms}. */
        String describe() {
            return Evidence.bytes(bytes) + " from " + Addresses.format(from) + " after " + millis + " ms";
        }
    }

    /** A socket on a port the OS chooses, closed when the case ends. */
    static DatagramSocket socket(Trial t) throws IOException {
        return t.keep(new DatagramSocket());
    }

    /** {@code sock.sendto(data, to)}. */
    static void sendto(DatagramSocket socket, byte[] data, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(data, data.length, to));
    }

    /** {@code sock.recvfrom()}, until {@code deadline}: the datagram, or {@code null} when none came. */
    static Datagram recvfrom(DatagramSocket socket, long deadline) throws IOException {
        long began = System.nanoTime();
        DatagramPacket packet = new DatagramPacket(new byte[ROOM], ROOM);
        try {
            socket.setSoTimeout(Probe.millisUntil(deadline));
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new Datagram(Arrays.copyOf(packet.getData(), packet.getLength()),
                (InetSocketAddress) packet.getSocketAddress(), (System.nanoTime() - began) / 1_000_000);
    }
}
