package lab.sockets.check;

import lab.sockets.check.Check.Needs;

/**
 * What the TCP and UDP server cases share: the all-interfaces case, which asks the same of both servers
 * (bind all the interfaces, as the slides do) and differs only in how it knocks.
 */
final class ServerCases {
    private ServerCases() {}

    /** The all-interfaces case of {@code role}: {@code step} is how it knocks, {@code slide} the bind line. */
    static Check allInterfaces(Role role, Check.Step step, String slide) {
        return Check.of(role, "all-interfaces", Kind.REQUIRED, Needs.SOCKETS, step,
                "is reachable on an address other than 127.0.0.1", slide);
    }

    /**
     * Its hint for a server that only loopback reaches: {@code isThere} is how it sits there
     * ({@code listens on}), {@code host} the slides' variable that says where ({@code HOST}).
     */
    static String onlyOnLoopbackHint(String isThere, String host) {
        return "it " + isThere + " 127.0.0.1 only, where no other machine can reach it: bind " + host + " = \"\" as the"
                + " slides do (all the interfaces)";
    }
}
