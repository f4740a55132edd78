package lab.sockets;

import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;

/** The whole tool run in the test's JVM, as {@code main} would run it, with its output captured. */
final class InProcess {
    private InProcess() {}

    /** {@code sockets args...} with {@code stdin} as the keyboard, writing to {@code out} and {@code err}; the exit code. */
    static int run(Writer out, Writer err, InputStream stdin, String... args) {
        CommandLine commandLine = Sockets.commandLine(stdin);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
