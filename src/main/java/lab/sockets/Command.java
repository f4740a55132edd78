package lab.sockets;

import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
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
 * command declares its options as fields:
 * <pre>
 *   private final Value&lt;Integer&gt; port = remotePort("--port", Protocol.DEFAULT_UDP_PORT, "The server's UDP port.");
 *   ...
 *   new InetSocketAddress(host, port.get())   // in call(), once picocli has parsed the command line
 * </pre>
 * An option without a default ({@code null}) is {@code null} unless given; help shows every other default.
 * {@code --help} lists a command's own options in the order they are declared, then the options several
 * commands share ({@link SharedOptions}: {@link ConsoleOptions}, {@link WebOptions}), then {@code -h} and
 * {@code -V}: each option carries its place ({@link #register}, {@link #registerShared}), so the order of the
 * fields does not decide it.
 */
public abstract class Command implements Callable<Integer> {
    /** Where the shared options and then help and version go in {@code --help}, after a command's own. */
    private static final int SHARED_OPTIONS = 1_000;
    private static final int HELP_OPTIONS = 2_000;

    /** picocli's model of this command; once it runs, {@code spec.commandLine()} has its output streams. */
    protected final CommandSpec spec;
    private int nextOwn;
    private int nextShared = SHARED_OPTIONS;

    protected Command(String name, String... description) {
        spec = CommandSpec.wrapWithoutInspection(this).name(name).versionProvider(new Sockets.Version());
        spec.usageMessage().description(description).sortOptions(false).showDefaultValues(true);
    }

    /** The finished model: this command's options, then {@code -h, --help} and {@code -V, --version}. */
    public final CommandSpec spec() {
        if (spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).order(HELP_OPTIONS)
                    .description("Show this help message and exit.").build());
            spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).order(HELP_OPTIONS + 1)
                    .description("Print version information and exit.").build());
        }
        return spec;
    }

    /** An option's (or a positional parameter's) value, to {@link #get} in {@code call()}, once picocli has parsed the command line. */
    public static final class Value<T> {
        private final ArgSpec arg;

        Value(ArgSpec arg) {
            this.arg = arg;
        }

        public T get() {
            return arg.getValue();
        }
    }

    /** {@code --name=LABEL} taking a {@code String}, {@code Integer}, {@code Long}, {@code Double} or {@code Path}. */
    protected final <T> Value<T> option(String name, String label, Class<T> type, Object defaultValue, String... description) {
        return new Value<>(register(typed(name, label, type, defaultValue, description)));
    }

    /** {@link #option}'s model, also for the {@link SharedOptions}. */
    static OptionSpec.Builder typed(String name, String label, Class<?> type, Object defaultValue, String... description) {
        return withDefault(OptionSpec.builder(name).paramLabel(label).type(type), defaultValue, description);
    }

    /** An option whose text {@code converter} turns into a {@code T}, with a usage error for a bad value. */
    protected final <T> Value<T> converted(String name, String label, Class<T> type, ITypeConverter<T> converter,
                                           String defaultValue, String... description) {
        return add(OptionSpec.builder(name).paramLabel(label).type(type).converters(converter), defaultValue, description);
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

    /** A duration as people type it: {@code 500ms}, {@code 3s}, {@code 2m} ({@link DurationConverter}); 0 allowed. */
    protected final Value<Duration> duration(String name, String defaultValue, String... description) {
        return add(OptionSpec.builder(name).paramLabel("DURATION").type(Duration.class).converters(new DurationConverter()),
                defaultValue, description);
    }

    /** A duration longer than 0 and, unless {@code max} is null, at most {@code max}: a time limit, a period. */
    protected final Value<Duration> positiveDuration(String name, String defaultValue, Duration max, String... description) {
        return add(OptionSpec.builder(name).paramLabel("DURATION").type(Duration.class)
                .converters(new DurationConverter.Bounded(false, max)), defaultValue, description);
    }

    /** A duration from 0 to {@code max}. */
    protected final Value<Duration> durationUpTo(String name, String defaultValue, Duration max, String... description) {
        return add(OptionSpec.builder(name).paramLabel("DURATION").type(Duration.class)
                .converters(new DurationConverter.Bounded(true, max)), defaultValue, description);
    }

    /**
     * A whole number from {@code min} to {@code max}: one way for every count the command line takes, so a
     * value out of range is a usage error that says the range, before anything runs.
     */
    protected final Value<Integer> number(String name, String label, int min, int max, Integer defaultValue,
                                          String... description) {
        return add(OptionSpec.builder(name).paramLabel(label).type(Integer.class).converters(new Whole(min, max)),
                defaultValue, description);
    }

    /** {@link #number}'s converter (a class, not a lambda: a client's first lambda costs its start-up time). */
    private record Whole(int min, int max) implements RangeConverter<Integer> {
        @Override
        public Integer read(String value) {
            return RangeConverter.wholeNumber(value, "a whole number");
        }

        @Override
        public String outOfRange(Integer n, String value) {
            if (n >= min && n <= max) {
                return null;
            }
            return n + "; it must be " + (max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max);
        }
    }

    /**
     * An optional positional parameter, {@code HOST} in {@code sockets tcp-client HOST PORT}, after those
     * declared so far; {@code null} unless given. See {@link #either}.
     */
    protected final <T> Value<T> positional(String label, Class<T> type, ITypeConverter<?> converter, String... description) {
        PositionalParamSpec.Builder positional = PositionalParamSpec.builder()
                .index(String.valueOf(spec.positionalParameters().size())).arity("0..1")
                .paramLabel(label).type(type).description(description).showDefaultValue(Visibility.NEVER);
        if (converter != null) {
            positional.converters(converter);
        }
        PositionalParamSpec built = positional.build();
        spec.addPositional(built);
        return new Value<>(built);
    }

    /**
     * The value of a setting that can be given as a positional parameter or as an option (the slides'
     * and {@code nc}'s habit, {@code HOST PORT}, or {@code --host HOST --port PORT}): the positional one if
     * given, else the option's (or its default). Both at once is a usage error that says so.
     */
    protected final <T> T either(Value<T> positional, Value<T> option) {
        boolean asPositional = spec.commandLine().getParseResult().hasMatchedPositional((PositionalParamSpec) positional.arg);
        if (!asPositional) {
            return option.get();
        }
        OptionSpec named = (OptionSpec) option.arg;
        if (spec.commandLine().getParseResult().hasMatchedOption(named)) {
            throw usageError(positional.arg.paramLabel() + " and " + named.longestName() + " are the same setting, given"
                    + " twice ('" + positional.get() + "' and '" + option.get() + "'): give it once, either way");
        }
        return positional.get();
    }

    /**
     * {@link #either} for a server's host, refusing a lone number in its place ({@code tcp-client 65432}):
     * that is a port given without its host, which Java would take for an IPv4 address.
     */
    protected final String host(Value<String> positional, Value<String> option, Value<Integer> portPositional) {
        String host = either(positional, option);
        if (positional.get() != null && portPositional.get() == null && isNumber(host)) {
            throw usageError("'" + host + "' looks like a port: give the host first, as in '"
                    + spec.qualifiedName() + " localhost " + host + "'");
        }
        return host;
    }

    private static boolean isNumber(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** An option that takes no value: {@code true} when given. */
    protected final Value<Boolean> flag(String name, String... description) {
        return new Value<>(register(flagged(name, description)));
    }

    /** {@link #flag}'s model, also for the {@link SharedOptions}. */
    static OptionSpec.Builder flagged(String name, String... description) {
        return OptionSpec.builder(name).type(boolean.class).defaultValue("false").showDefaultValue(Visibility.NEVER)
                .description(description);
    }

    /** A repeatable {@code --name=LABEL}: every value given, in order (empty when none). */
    protected final Value<List<String>> repeatable(String name, String label, String... description) {
        return new Value<>(register(OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(String.class)
                .initialValue(new ArrayList<String>()).showDefaultValue(Visibility.NEVER).description(description)));
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
        return new Value<>(register(withDefault(option, defaultValue, description)));
    }

    /** {@code option} with its description, and its default shown in help unless it has none ({@code null}). */
    private static OptionSpec.Builder withDefault(OptionSpec.Builder option, Object defaultValue, String... description) {
        if (defaultValue == null) {
            option.showDefaultValue(Visibility.NEVER);
        } else {
            option.defaultValue(String.valueOf(defaultValue));
        }
        return option.description(description);
    }

    /** Adds one of the command's own options: {@code --help} lists them in the order they are declared. */
    final OptionSpec register(OptionSpec.Builder option) {
        return addOption(option.order(nextOwn++));
    }

    /**
     * Adds an option several commands share ({@code --json}, {@code --web}: {@link SharedOptions}): {@code --help}
     * lists it after the command's own, wherever its field stands, and before {@code -h} and {@code -V}.
     */
    final OptionSpec registerShared(OptionSpec.Builder option) {
        return addOption(option.order(nextShared++));
    }

    private OptionSpec addOption(OptionSpec.Builder option) {
        OptionSpec built = option.build();
        spec.addOption(built);
        return built;
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
