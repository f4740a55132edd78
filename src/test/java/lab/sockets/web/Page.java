package lab.sockets.web;

import lab.sockets.ClassList;
import lab.sockets.Console;
import lab.sockets.Protocol;
import lab.sockets.tcp.TcpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;

/** A tcp-server with its live page, in the test's JVM on loopback port 0, and what tests do with them. */
final class Page implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final Console console;
    final TcpServer server;
    final LivePage page;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Page(int maxSubscribers, ClassList expected) throws IOException {
        this(maxSubscribers, expected, UnaryOperator.identity(), Hub.STREAMED_PER_SECOND);
    }

    Page(int maxSubscribers, ClassList expected, UnaryOperator<TcpServer.Settings> settings) throws IOException {
        this(maxSubscribers, expected, settings, Hub.STREAMED_PER_SECOND);
    }

    Page(int maxSubscribers, ClassList expected, UnaryOperator<TcpServer.Settings> settings, int streamedPerSecond)
            throws IOException {
        // The console's lines go nowhere: the tests read the page, and 10,000 lines would only fill memory.
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        console = new Console(nowhere, nowhere, false, false);
        page = LivePage.start(new InetSocketAddress(LOOPBACK, 0), maxSubscribers, "tcp-server", expected, console,
                streamedPerSecond);
        server = TcpServer.start(settings.apply(TcpServer.Settings.of(new InetSocketAddress(LOOPBACK, 0))), console);
        page.serving(server);
    }

    URI uri(String path) {
        return URI.create(page.url("127.0.0.1")).resolve(path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    String state() throws IOException, InterruptedException {
        return get("/state").body();
    }

    /** One student's whole conversation through a real socket; returns the server's acknowledgement line. */
    String converse(String id) throws IOException {
        try (Socket socket = new Socket(LOOPBACK, server.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((id + "\n").getBytes(UTF_8));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            String text = all.toString(UTF_8);
            return text.substring(Math.min(text.length(), Protocol.PROMPT.length));
        }
    }

    /** The first number {@code "name":N} in {@code json}. */
    static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no number " + name + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    /** Waits, polling, until {@code condition} holds; fails with {@code what} after {@code timeout}. */
    static void await(BooleanSupplier condition, String what, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));   // polling a condition, not a fixed wait
        }
    }

    /** Reads what is there now and up to {@code max} bytes from a raw socket, without blocking past its timeout. */
    static String readSome(InputStream in, int max) throws IOException {
        byte[] buffer = new byte[max];
        int n = in.read(buffer);
        return n < 0 ? "" : new String(buffer, 0, n, UTF_8);
    }

    @Override
    public void close() {
        server.close();
        page.close();
    }
}
