package lab.sockets;

import lab.sockets.tcp.TcpClient;
import lab.sockets.tcp.TcpServer;
import lab.sockets.udp.UdpClient;
import lab.sockets.udp.UdpServer;
import lab.sockets.web.LivePage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code sockets demo}: the whole lab in one process, on loopback, narrated: a TCP server and client
 * have their conversation, then a UDP server and client exchange a datagram. Every socket call of both
 * ends is shown next to the slides' Python, so a newcomer sees in one screen what the lab is about. It takes well under a second.
 */
public final class DemoCommand extends Command {
    public DemoCommand() {
        super("demo", "Run the lab once, narrated: a TCP conversation and a UDP exchange on loopback, both ends in this process.");
    }

    private final Value<String> id = option("--id", "ID", String.class, "b08902001", "The student ID the demo client sends.");
    private final Value<String> message = option("--msg", "TEXT", String.class, "Hello, World!",
            "The message the demo UDP client sends.");
    private final Value<Boolean> json = flag("--json", "One JSON object per event instead of text.");
    private final WebOptions web = new WebOptions(this);

    @Override
    public Integer call() throws IOException, InterruptedException {
        Console console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), json.get(), true, true, null).wrapped();
        Console server = console.withRole("server");
        Console client = console.withRole("client");
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        LivePage page = web.open(server, "demo", null);

        console.event("demo", null, "== TCP: the server asks for a student ID, the client answers ==");
        try (TcpServer tcp = TcpServer.start(TcpServer.Settings.of(loopback), server)) {
            page.serving(tcp);
            new TcpClient(tcp.address(), Duration.ofSeconds(5), client).converse(id.get());   // --id: nothing is typed
        }   // close() lets the server finish its side first: FIN, the client's end of stream, close

        console.event("demo", null, "== UDP: no connection; one datagram there, one back ==");
        try (UdpServer udp = UdpServer.start(loopback, server)) {
            new UdpClient(udp.address(), Duration.ofSeconds(1), client).send(message.get().getBytes(UTF_8), 3);
        }

        console.event("demo", null, "== That was the lab. Now, in two terminals: ==");
        console.event("demo", null, "==   sockets tcp-server --explain    and    sockets tcp-client --explain ==");
        if (page != LivePage.NONE) {
            console.event("demo", null, "== The live page shows it all until Ctrl+C ==");
            Shutdown.onSignal(page, "closing the live page", console);
            page.awaitClosed();
        }
        return 0;
    }
}
