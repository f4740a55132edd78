package lab.sockets;

import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command of the tool: its options, and {@code call()} that runs it.
 * <p>
 * picocli's manual declares options with annotations, {@code @Option(names = "--port", ...) int port;}.
 * Reading annotations costs every start about 45 ms before one argument is parsed (the JVM generates a
 * proxy class for each annotation type, then parses each annotation): some 15% of a whole
 * {@code udp-client} round trip. picocli builds the same model from code for almost nothing, so each
 * command declares its options as fields, in the order {@code --help} lists them:
 * <pre>
 *   private final Value&lt;Integer&gt; port = remotePort("--port", Protocol.DEFAULT_UDP_PORT, "The server's UDP port.");
 *   ...
 *   new InetSocketAddress(host, port.get())   // in call(), once picocli has parsed the command line
 * </pre>
 * An option without a default ({@code null}) is {@code null} unless given; help shows every other default.
 */
public abstract class Command implements Callable<Integer> {
    /** picocli's model of this command; once it runs, {@code spec.commandLine()} has its output streams. */
    protected final CommandSpec spec;

    protected Command(String name, String... description) {
        spec = CommandSpec.wrapWithoutInspection(this).name(name).versionProvider(new Sockets.Version());
        spec.usageMessage().description(description).sortOptions(false).showDefaultValues(true);
    }

    /** The finished model: this command's options, then {@code -h, --help} and {@code -V, --version}. */
    public final CommandSpec spec() {
        if (spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
            spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                    .description("Print version information and exit.").build());
        }
        return spec;
    }

    /** An option's value, to {@link #get} in {@code call()}, once picocli has parsed the command line. */
    public static final class Value<T> {
        private final ArgSpec option;

        private Value(ArgSpec option) {
            this.option = option;
        }

        public T get() {
            return option.getValue();
        }
    }

    /** {@code --name=LABEL} taking a {@code String}, {@code Integer}, {@code Long}, {@code Double} or {@code Path}. */
    protected final <T> Value<T> option(String name, String label, Class<T> type, Object defaultValue, String... description) {
        return add(OptionSpec.builder(name).paramLabel(label).type(type), defaultValue, description);
    }

    /** A port to listen on: 0 to 65535, where 0 lets the OS choose. */
    protected final Value<Integer> port(String name, int defaultValue, String... description) {
        return add(OptionSpec.builder(name).paramLabel("PORT").type(Integer.class).converters(new PortConverter()),
                defaultValue, description);
    }

    /** A server's port, to send or connect to: 1 to 65535. */
    protected final Value<Integer> remotePort(String name, int defaultValue, String... description) {
        return add(OptionSpec.builder(name).paramLabel("PORT").type(Integer.class).converters(new PortConverter.Remote()),
                defaultValue, description);
    }

    /** A duration as people type it: {@code 500ms}, {@code 3s}, {@code 2m} ({@link DurationConverter}). */
    protected final Value<Duration> duration(String name, String defaultValue, String... description) {
        return add(OptionSpec.builder(name).paramLabel("DURATION").type(Duration.class).converters(new DurationConverter()),
                defaultValue, description);
    }

    /** An option that takes no value: {@code true} when given. */
    protected final Value<Boolean> flag(String name, String... description) {
        OptionSpec option = OptionSpec.builder(name).type(boolean.class).defaultValue("false")
                .showDefaultValue(Visibility.NEVER).description(description).build();
        spec.addOption(option);
        return new Value<>(option);
    }

    /** A repeatable {@code --name=LABEL}: every value given, in order (empty when none). */
    protected final Value<List<String>> repeatable(String name, String label, String... description) {
        OptionSpec option = OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(String.class)
                .initialValue(new ArrayList<String>()).showDefaultValue(Visibility.NEVER).description(description).build();
        spec.addOption(option);
        return new Value<>(option);
    }

    /**
     * Positional parameters at {@code index} ({@code "0"}, {@code "1..*"}), {@code arity} of them
     * ({@code "0..1"}, {@code "0..*"}): every one given, in order (empty when none).
     */
    protected final Value<List<String>> positionals(String index, String arity, String label, String... description) {
        PositionalParamSpec params = PositionalParamSpec.builder().index(index).arity(arity).paramLabel(label)
                .type(List.class).auxiliaryTypes(String.class).initialValue(new ArrayList<String>())
                .showDefaultValue(Visibility.NEVER).description(description).build();
        spec.addPositional(params);
        return new Value<>(params);
    }

    private <T> Value<T> add(OptionSpec.Builder option, Object defaultValue, String... description) {
        if (defaultValue == null) {
            option.showDefaultValue(Visibility.NEVER);
        } else {
            option.defaultValue(String.valueOf(defaultValue));
        }
        OptionSpec built = option.description(description).build();
        spec.addOption(built);
        return new Value<>(built);
    }

    /** Bad usage found after parsing, e.g. a value out of range: one line and exit code 2, like a parse error. */
    protected final ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** A {@link #usageError} with {@code message} unless {@code ok}. */
    protected final void check(boolean ok, String message) {
        if (!ok) {
            throw usageError(message);
        }
    }
}
