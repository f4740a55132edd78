package lab.sockets;

import lab.sockets.web.LivePage;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The live page's options ({@code --web [PORT]}, {@code --web-bind}, {@code --web-max}), for the servers and
 * the demo: declared here so that a command needs one field and one call, like {@link ConsoleOptions}.
 */
public final class WebOptions extends SharedOptions {
    private final OptionSpec web;
    private final Command.Value<String> bind;
    private final Command.Value<Integer> max;

    /** Adds the three options to {@code command}, listed after its own options. */
    public WebOptions(Command command) {
        super(command);
        web = register(OptionSpec.builder("--web").paramLabel("PORT").arity("0..1").type(Integer.class)
                .converters(new PortConverter()).fallbackValue(String.valueOf(LivePage.DEFAULT_PORT))
                .showDefaultValue(Visibility.NEVER)
                .description("Serve a live page of the events (who connected, the IDs, the rates) on this port"
                        + " (default " + LivePage.DEFAULT_PORT + "), for the projector."));
        bind = option("--web-bind", "ADDRESS", String.class, LivePage.DEFAULT_BIND,
                "Address the live page listens on: this machine only by default, since IDs are personal data.");
        max = option("--web-max", "N", Integer.class, LivePage.DEFAULT_MAX_SUBSCRIBERS,
                "Pages open at once; one more is answered 503.");
    }

    /**
     * Starts the live page when {@code --web} was given and taps {@code console}; otherwise returns
     * {@link LivePage#NONE}. Call it before the server starts, so the page sees every event, and
     * {@link LivePage#serving} once it is up.
     *
     * @param server   {@code tcp-server} or {@code udp-server}: which page to show
     * @param expected the class list ({@code --expect}), or {@code null}
     */
    public LivePage open(Console console, String server, ClassList expected) {
        Integer port = web.getValue();
        if (port == null) {
            return LivePage.NONE;
        }
        if (max.get() < 1) {
            throw usageError("Invalid value for option '--web-max': " + max.get()
                    + "; it must be at least 1");
        }
        return LivePage.start(Addresses.bindAddress(bind.get(), port), max.get(), server, expected, console);
    }
}
