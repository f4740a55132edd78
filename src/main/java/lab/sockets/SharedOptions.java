package lab.sockets;

import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Options several commands share ({@link ConsoleOptions}, {@link WebOptions}): a command adds them with one
 * field, {@code new ConsoleOptions(this)}, and its {@code --help} lists them after its own options, wherever
 * that field stands.
 */
abstract class SharedOptions {
    /** The command they were added to: where their values are parsed and their usage errors go. */
    final Command command;

    SharedOptions(Command command) {
        this.command = command;
    }

    /** An option that takes no value: {@code true} when given. */
    final Command.Value<Boolean> flag(String name, String... description) {
        return new Command.Value<>(command.registerShared(Command.flagged(name, description)));
    }

    /** {@code --name=LABEL}, as {@link Command#option}. */
    final <T> Command.Value<T> option(String name, String label, Class<T> type, Object defaultValue, String... description) {
        return new Command.Value<>(command.registerShared(Command.typed(name, label, type, defaultValue, description)));
    }

    /** An option built here, for what the helpers above do not cover. */
    final OptionSpec register(OptionSpec.Builder option) {
        return command.registerShared(option);
    }

    /** Bad usage of these options: one line and exit code 2, as {@link Command#usageError}. */
    final ParameterException usageError(String message) {
        return command.usageError(message);
    }
}
