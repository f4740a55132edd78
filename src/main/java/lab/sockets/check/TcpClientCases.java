package lab.sockets.check;

import java.util.List;

final class TcpClientCases {
    private TcpClientCases() {}

    static List<Check> all() {
        return List.of();
    }
}
