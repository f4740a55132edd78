package lab.sockets;

import lab.sockets.tcp.TcpClientCommand;
import lab.sockets.tcp.TcpServerCommand;
import lab.sockets.udp.UdpClientCommand;
import lab.sockets.udp.UdpServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.Properties;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code sockets}: the lab slides' four programs as one command-line tool.
 * <pre>
 *   java -jar sockets.jar tcp-server                 # the TA, on the lectern machine
 *   java -jar sockets.jar tcp-client --host 10.0.0.1 # each student
 *   java -jar sockets.jar udp-server
 *   java -jar sockets.jar udp-client --msg hi
 * </pre>
 * This class only wires the commands together: each subcommand is a class of its own, and
 * {@link #main} is the one place that exits, with picocli's codes: 0 success, 1 failure, 2 bad usage.
 */
@Command(name = "sockets", mixinStandardHelpOptions = true, versionProvider = Sockets.Version.class,
        description = "The socket-programming lab's TCP and UDP servers and clients, byte-compatible with the slides' Python programs.",
        subcommands = {TcpServerCommand.class, TcpClientCommand.class, UdpServerCommand.class, UdpClientCommand.class,
                lab.sockets.load.TcpLoadCommand.class, lab.sockets.load.UdpLoadCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'sockets <command> --help' for a command's options and defaults."})
public final class Sockets implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.in).execute(args));
    }

    /**
     * The whole tool, ready to {@code execute}: tests call this with their own stdin and capture
     * {@code getOut()} and {@code getErr()} by replacing them.
     */
    public static CommandLine commandLine(InputStream stdin) {
        CommandLine commandLine = new CommandLine(new Sockets())
                .setOut(buffered(FileDescriptor.out))
                .setErr(buffered(FileDescriptor.err))
                .setExecutionExceptionHandler(new PrintFailure())
                .setCaseInsensitiveEnumValuesAllowed(true);
        TcpClientCommand tcpClient = commandLine.getSubcommands().get("tcp-client").getCommand();
        tcpClient.stdin = stdin;   // where the typed ID comes from, like the slides' input()
        return commandLine;
    }

    /** stdout and stderr in UTF-8 whatever the platform says; the console decides when to flush. */
    private static PrintWriter buffered(FileDescriptor fd) {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(fd), UTF_8), 1 << 16));
    }

    /** A {@link Failure} or a network error is the user's to fix: one line, exit 1. Anything else is a bug. */
    static final class PrintFailure implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
            PrintWriter err = commandLine.getErr();
            if (e instanceof Failure) {
                err.println("Error: " + e.getMessage());
            } else if (e instanceof IOException) {
                err.println("Error: " + Errno.describe((IOException) e));
            } else {
                e.printStackTrace(err);
            }
            err.flush();
            commandLine.getOut().flush();
            return commandLine.getCommandSpec().exitCodeOnExecutionException();
        }
    }

    /** {@code --version}: the version Maven wrote into the jar. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Sockets.class.getResourceAsStream("/version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"sockets " + properties.getProperty("version", "(development build)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
