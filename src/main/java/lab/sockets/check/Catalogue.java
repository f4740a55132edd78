package lab.sockets.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Every case, by role, in the order they run and are reported: required cases first (what the slides'
 * fragments do), then robust ones (what a program fit for a whole class also does). IDs are stable:
 * reports, grade books and {@code --case} name them.
 * <p>
 * Each role's class ({@code TcpServerCases}, ...) declares a case as a {@link Check} constant directly above
 * the method that runs it, so a case's ID, title and slide line are read with its steps; the class's
 * {@code all()} lists the constants in catalogue order.
 */
final class Catalogue {
    private Catalogue() {}

    /** The cases of {@code role}. */
    static List<Check> of(Role role) {
        return switch (role) {
            case TCP_SERVER -> TcpServerCases.all();
            case TCP_CLIENT -> TcpClientCases.all();
            case UDP_SERVER -> UdpServerCases.all();
            case UDP_CLIENT -> UdpClientCases.all();
        };
    }

    /** Every case of every role. */
    static List<Check> all() {
        List<Check> all = new ArrayList<>();
        for (Role role : Role.values()) {
            all.addAll(of(role));
        }
        return all;
    }

    /** The case with {@code id} among {@code cases}, or {@code null}. */
    static Check find(List<Check> cases, String id) {
        for (Check check : cases) {
            if (check.info().id().equals(id)) {
                return check;
            }
        }
        return null;
    }

    /** The IDs of {@code cases}, for a usage error: {@code tcp-server/accepts, tcp-server/prompt, ...}. */
    static String ids(List<Check> cases) {
        StringBuilder ids = new StringBuilder();
        for (Check check : cases) {
            ids.append(ids.length() == 0 ? "" : ", ").append(check.info().id());
        }
        return ids.toString();
    }
}
