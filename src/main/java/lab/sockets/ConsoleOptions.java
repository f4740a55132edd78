package lab.sockets;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;


/** Options every command shares: how it talks to the person (or script) running it. */
public final class ConsoleOptions {
    private final CommandSpec spec;
    private final Command.Value<Boolean> json;
    private final Command.Value<Boolean> explain;

    /** Adds {@code --json} and {@code --explain} to {@code command}, listed after its own options. */
    public ConsoleOptions(Command command) {
        spec = command.spec;
        command.sharedOptionsFollow();
        json = command.flag("--json", "One JSON object per event instead of text, for scripts and autograders.");
        explain = command.flag("--explain", "Narrate every socket call as it happens: the slides' Python, the Java call, the result.");
        command.ownOptionsAgain();
    }

    /**
     * For the load generators: narrating thousands of conversations would be unreadable, so {@code --explain}
     * there is a usage error that says where to use it instead.
     */
    public void refuseExplain() {
        if (explain.get()) {
            throw new ParameterException(spec.commandLine(), "--explain narrates one conversation; with many at once"
                    + " it would be unreadable: use it with tcp-client, udp-client or a server");
        }
    }

    /** Servers flush once per batch of events; clients after every line, so a person sees each at once. */
    public Console console(boolean flushEachLine) {
        return new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), json.get(), explain.get(), flushEachLine, null);
    }
}
