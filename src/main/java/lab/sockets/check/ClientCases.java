package lab.sockets.check;

/**
 * What the TCP and UDP client cases share: the checker plays the server, so it binds its port first and
 * then starts the program, and it judges a program that is left waiting.
 */
final class ClientCases {
    private ClientCases() {}

    /** The checker could not bind {@link Trial#portToBind()}: {@code checker} says what it tried to do. */
    static Finding.Stop portInUse(Trial t, String checker) {
        return Evidence.expected(checker + " " + t.portToBind() + " for the program")
                .came("the port is in use by another program on this machine")
                .hint("stop that program, or give the program its port with {port} in --run")
                .stop();
    }

    /**
     * The program, left waiting from now on, ends by the deadline with any status; {@code after} says what
     * it waits after ("after connecting").
     */
    static Finding givesUp(Trial t, String after, String when, String hint) throws InterruptedException {
        long since = t.millis();
        Program program = t.program();
        if (program.waitForExit(t.deadline())) {
            return Finding.pass("gave up " + (t.millis() - since) + " ms " + after + ", with status "
                    + program.exitStatus());
        }
        return Evidence.expected("the program gives up " + when + ", within the time limit (" + t.limit() + ")")
                .came("still waiting " + (t.millis() - since) + " ms " + after)
                .hint(hint)
                .failed();
    }
}
