package lab.sockets.load;

import lab.sockets.Console;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * Deliberately small (and sometimes deliberately broken) servers for the load tests: each one thread,
 * one client at a time, like the slides' code. They bind loopback port 0 and stop when closed.
 */
final class TinyServers {
    private TinyServers() {}

    /** What a tiny TCP server does with one accepted client; the socket is closed afterwards. */
    interface Conversation {
        void talk(Socket client) throws IOException;
    }

    /** A TCP server that runs {@code conversation} for each client, one after the other. */
    static final class Tcp implements AutoCloseable {
        private final ServerSocket listener;
        private final Thread thread;

        Tcp(Conversation conversation) throws IOException {
            this(conversation, false);
        }

        /** With {@code concurrent}, each client gets a thread of its own, so held clients are all prompted. */
        Tcp(Conversation conversation, boolean concurrent) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        if (concurrent) {
                            Thread talker = new Thread(() -> serve(client, conversation), "tiny-tcp-client");
                            talker.setDaemon(true);
                            talker.start();
                        } else {
                            serve(client, conversation);
                        }
                    } catch (IOException e) {
                        // the server is closing
                    }
                }
            }, "tiny-tcp-server");
            thread.setDaemon(true);
            thread.start();
        }

        private static void serve(Socket accepted, Conversation conversation) {
            try (Socket client = accepted) {
                client.setSoTimeout(5000);   // a test's client never holds this server forever
                conversation.talk(client);
            } catch (IOException e) {
                // this client failed: go on to the next
            }
        }

        /** A server that never accepts: connections complete in the kernel's backlog and wait there. */
        static ServerSocket neverAccepting() throws IOException {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            join(thread);
        }
    }

    /** A UDP server that answers datagram number {@code n} (from 0) with {@code reply.apply(n)}, or not at all if null. */
    static final class Udp implements AutoCloseable {
        interface Reply {
            byte[] to(long n);
        }

        private final DatagramSocket socket;
        private final Thread thread;

        Udp(Reply reply) throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(() -> {
                byte[] buffer = new byte[65_536];
                for (long n = 0; !socket.isClosed(); n++) {
                    try {
                        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                        socket.receive(in);
                        byte[] answer = reply.to(n);
                        if (answer != null) {
                            socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
                        }
                    } catch (IOException e) {
                        // closing, or one datagram failed: go on
                    }
                }
            }, "tiny-udp-server");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
            join(thread);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A console that writes nowhere (the servers' event lines are not what these tests look at). */
    static Console quietConsole() {
        return new Console(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()), false, false);
    }

    /** A console that keeps what it was given, for tests that look at the lines. */
    static Console capturing(StringWriter into) {
        PrintWriter writer = new PrintWriter(into);
        return new Console(writer, writer, false, true);
    }
}
