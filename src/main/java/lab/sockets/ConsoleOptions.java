package lab.sockets;

import picocli.CommandLine.Model.CommandSpec;

/** Options every command shares: how it talks to the person (or script) running it. */
public final class ConsoleOptions extends SharedOptions {
    private final Command.Value<Boolean> json;
    private final Command.Value<Boolean> explain;

    /** Adds {@code --json} and {@code --explain} to {@code command}, listed after its own options. */
    public ConsoleOptions(Command command) {
        super(command);
        json = flag("--json", "One JSON object per event instead of text, for scripts and autograders.");
        explain = flag("--explain", "Narrate every socket call as it happens: the slides' Python, the Java call, the result.");
    }

    /**
     * For the load generators: narrating thousands of conversations would be unreadable, so {@code --explain}
     * there is a usage error that says where to use it instead.
     */
    public void refuseExplain() {
        if (explain.get()) {
            throw usageError("--explain narrates one conversation; with many at once"
                    + " it would be unreadable: use it with tcp-client, udp-client or a server");
        }
    }

    /** Servers flush once per batch of events; clients after every line, so a person sees each at once. */
    public Console console(boolean flushEachLine) {
        CommandSpec spec = command.spec;
        return new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), json.get(), explain.get(), flushEachLine, null);
    }
}
