package lab.sockets.check;

import java.util.List;

final class UdpServerCases {
    private UdpServerCases() {}

    static List<Check> all() {
        return List.of();
    }
}
