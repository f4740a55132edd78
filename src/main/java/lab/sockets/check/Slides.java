package lab.sockets.check;

/**
 * The slides' Python lines that the catalogue names as each case's {@code slide}, and that the hints quote:
 * each written once, as the slides write it.
 */
final class Slides {
    private Slides() {}

    // the TCP server
    static final String ACCEPT = "client, address = s.accept()";
    static final String RECV_ID = "student_id = client.recv(1000).upper().decode('utf-8')";
    // the TCP client
    static final String INPUT = "response = input(s.recv(1000).decode('utf-8')).encode('utf-8')";
    static final String SEND = "s.send(response)";
    // the UDP server
    static final String RECVFROM = "data, addr = sock.recvfrom(1024)";
    static final String SENDTO_REPLY = "sock.sendto(b'data received', addr)";
    // the UDP client
    static final String SENDTO = "sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT))";
}
