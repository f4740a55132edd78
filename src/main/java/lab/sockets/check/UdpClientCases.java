package lab.sockets.check;

import java.util.List;

final class UdpClientCases {
    private UdpClientCases() {}

    static List<Check> all() {
        return List.of();
    }
}
