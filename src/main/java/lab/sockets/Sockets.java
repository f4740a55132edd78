package lab.sockets;

import lab.sockets.check.CheckCommand;
import lab.sockets.load.TcpLoadCommand;
import lab.sockets.load.UdpLoadCommand;
import lab.sockets.tcp.TcpClientCommand;
import lab.sockets.tcp.TcpServerCommand;
import lab.sockets.udp.UdpClientCommand;
import lab.sockets.udp.UdpServerCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.ParseResult;

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
public final class Sockets extends Command {
    private Sockets() {
        super("sockets", "The socket-programming lab's TCP and UDP servers and clients, byte-compatible with the slides' Python programs.");
        spec.usageMessage().footer("", "Run 'sockets <command> --help' for a command's options and defaults.");
    }

    /** No command given: that is bad usage, so the usage goes to stderr with exit code 2 ({@code --help} is on stdout, 0). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return spec.exitCodeOnInvalidInput();
    }

    /** Every subcommand, in the order {@code --help} lists them. */
    private static final String[] SUBCOMMANDS = {
        "tcp-server", "tcp-client", "udp-server", "udp-client", "tcp-load", "udp-load", "demo", "check", "help",
        "generate-completion",
    };

    /**
     * The model of each subcommand; a switch, so that only the one being run is ever loaded. {@code help}
     * and {@code generate-completion} are picocli's own, declared with annotations: read only when asked for.
     */
    private static Object subcommand(String name, InputStream stdin) {
        return switch (name) {
            case "tcp-server" -> new TcpServerCommand().spec();
            case "tcp-client" -> new TcpClientCommand(stdin).spec();
            case "udp-server" -> new UdpServerCommand().spec();
            case "udp-client" -> new UdpClientCommand().spec();
            case "tcp-load" -> new TcpLoadCommand().spec();
            case "udp-load" -> new UdpLoadCommand().spec();
            case "demo" -> new DemoCommand().spec();
            case "check" -> new CheckCommand().spec();
            case "help" -> CommandLine.HelpCommand.class;
            case "generate-completion" -> AutoComplete.GenerateCompletion.class;
            default -> throw new IllegalArgumentException(name);
        };
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.in, args).execute(args));
    }

    /** The whole tool, every subcommand registered: what tests use, with their own stdin. */
    public static CommandLine commandLine(InputStream stdin) {
        return commandLine(stdin, new String[0]);
    }

    /**
     * The tool, ready to {@code execute(args)}. picocli reads every option of every subcommand it is
     * given before parsing anything, and a client run pays for that at every start; so when
     * {@code args} names a subcommand, only that one is registered. {@code help} and
     * {@code generate-completion} describe the others, so they get all of them.
     */
    public static CommandLine commandLine(InputStream stdin, String[] args) {
        String wanted = args.length > 0 ? args[0] : "";
        boolean one = false;
        for (String name : SUBCOMMANDS) {
            one |= name.equals(wanted) && !wanted.equals("help") && !wanted.equals("generate-completion");
        }
        CommandLine commandLine = new CommandLine(new Sockets().spec());
        for (String name : SUBCOMMANDS) {
            if (!one || name.equals(wanted)) {
                commandLine.addSubcommand(name, subcommand(name, stdin));
            }
        }
        return commandLine.setOut(buffered(FileDescriptor.out))
                .setErr(buffered(FileDescriptor.err))
                .setExecutionExceptionHandler(new PrintFailure())
                .setParameterExceptionHandler(new PrintUsageError());
    }

    /** stdout and stderr in UTF-8 whatever the platform says; the console decides when to flush. */
    private static PrintWriter buffered(FileDescriptor fd) {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(fd), UTF_8), 1 << 16));
    }

    /**
     * Bad usage: what was wrong and where to read more, not the whole help page; exit code 2.
     * (A class rather than a lambda: the first lambda of a run costs start-up time.)
     */
    static final class PrintUsageError implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println(e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            if (!command.getCommandSpec().positionalParameters().isEmpty()) {
                err.println(shortUsage(command.getCommandSpec()));
            }
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for the options and their defaults.");
            err.flush();
            return command.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    /** {@code Usage: sockets udp-client [HOST [PORT [MESSAGE]]] [options]}: the right form, in one line. */
    static String shortUsage(CommandSpec command) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (PositionalParamSpec positional : command.positionalParameters()) {
            open.append(open.length() == 0 ? "[" : " [").append(positional.paramLabel());
            close.append(']');
        }
        return "Usage: " + command.qualifiedName() + " " + open + close + " [options]";
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
