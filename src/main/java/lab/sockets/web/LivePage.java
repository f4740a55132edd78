package lab.sockets.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import lab.sockets.Addresses;
import lab.sockets.ClassList;
import lab.sockets.Console;
import lab.sockets.Failure;
import lab.sockets.Server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code --web}: the class on the projector. A read-only page, served by the JDK's own HTTP server, showing
 * the server's events as they happen: the IDs arriving, how many, who is still missing, the rates.
 * <pre>
 *   GET /          the page (index.html, app.css, app.js from the jar; nothing from elsewhere)
 *   GET /state     everything so far, as JSON: counts, rates, the last events (see {@link Tally})
 *   GET /events    Server-Sent Events: each event the object --json prints, and a tick each second
 * </pre>
 * Every answer forbids inline script and other origins (Content-Security-Policy) and sniffing; the page
 * writes IDs as text only. GET and HEAD only; a request's content is never read or written anywhere.
 */
public final class LivePage implements AutoCloseable {
    public static final int DEFAULT_PORT = 8080;
    /** This machine only: the page shows students' IDs, personal data, and is meant for the lectern's screen. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_MAX_SUBSCRIBERS = 32;
    /** A comment line this often keeps idle streams open through proxies and finds pages that have gone. */
    static final long KEEP_ALIVE_MILLIS = 15_000;
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** No {@code --web}: nothing served, nothing tapped. */
    public static final LivePage NONE = new LivePage();

    private final HttpServer http;
    private final ExecutorService threads;
    private final Hub hub;
    private final Console console;
    private final byte[] html;
    private final byte[] css;
    private final byte[] js;
    private final CountDownLatch closed = new CountDownLatch(1);

    private LivePage() {
        http = null;
        threads = null;
        hub = null;
        console = null;
        html = css = js = null;
    }

    private LivePage(HttpServer http, Hub hub, int maxSubscribers, Console console) {
        this.http = http;
        this.console = console;
        this.hub = hub;
        this.html = resource("index.html");
        this.css = resource("app.css");
        this.js = resource("app.js");
        // One thread per open stream, and a few for the short requests (the page, /state).
        this.threads = Executors.newFixedThreadPool(maxSubscribers + 4, task -> {
            Thread thread = new Thread(task, "web");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(threads);
        http.createContext("/", this::handle);
    }

    /**
     * Binds the page's port and taps {@code console}: from now on the page sees every event. Call it before
     * the server starts, then {@link #serving} once the server is up.
     *
     * @param server {@code tcp-server} or {@code udp-server}: which page to show
     */
    public static LivePage start(InetSocketAddress address, int maxSubscribers, String server, ClassList expected,
                                 Console console) {
        return start(address, maxSubscribers, server, expected, console, Hub.STREAMED_PER_SECOND);
    }

    /** As above, streaming up to {@code streamedPerSecond} events a second (tests flood a page with more). */
    static LivePage start(InetSocketAddress address, int maxSubscribers, String server, ClassList expected,
                          Console console, int streamedPerSecond) {
        HttpServer http;
        try {
            http = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new Failure("the live page (--web): " + Failure.cannotBind(e, address).getMessage());
        }
        LivePage page = new LivePage(http, new Hub(server, expected, maxSubscribers, streamedPerSecond), maxSubscribers, console);
        page.hub.start();
        console.tap(page.hub);
        http.start();
        return page;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url(String host) {
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + http.getAddress().getPort() + "/";
    }

    /** Whether other machines can open the page ({@code --web-bind} not loopback): then a browser is told of it. */
    public boolean openToOthers() {
        return http != null && !http.getAddress().getAddress().isLoopbackAddress();
    }

    /** The address and port really bound. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /**
     * The server is up: the page shows how many clients it has connected now (TCP; UDP has none), and its
     * address is printed, once, where the server's banner goes.
     */
    public void serving(Server server) {
        if (hub == null) {
            return;
        }
        hub.tally().connectedFrom(server::connectedNow);
        InetAddress bound = http.getAddress().getAddress();
        String url = url(bound.isAnyLocalAddress() ? "localhost" : Addresses.host(bound));
        console.event("listening", null, "live page: " + url
                + (bound.isLoopbackAddress() ? " (this machine only: the IDs are personal data)"
                : bound.isAnyLocalAddress() ? " (all interfaces: anyone who can reach this machine sees it)" : ""),
                "url", url);
        console.flush();
    }

    @Override
    public void close() {
        if (http != null) {
            hub.stop();
            http.stop(0);
            threads.shutdownNow();
        }
        closed.countDown();
    }

    /** Waits until {@link #close} (for {@code sockets demo --web}, whose page outlives its servers). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Security-Policy", CSP);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("X-Frame-Options", "DENY");
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                headers.set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain", "405: this page is read-only (GET and HEAD only)\n".getBytes(UTF_8), false);
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/", "/index.html" -> send(exchange, 200, "text/html", html, head);
                case "/app.css" -> send(exchange, 200, "text/css", css, head);
                case "/app.js" -> send(exchange, 200, "text/javascript", js, head);
                case "/state" -> {
                    headers.set("Cache-Control", "no-store");
                    send(exchange, 200, "application/json", hub.state().getBytes(UTF_8), head);
                }
                case "/events" -> stream(exchange, head);
                default -> send(exchange, 404, "text/plain", "404: not here; the page is at /\n".getBytes(UTF_8), head);
            }
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, boolean head) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** {@code GET /events}: this thread writes one page's stream until the page goes or falls behind. */
    private void stream(HttpExchange exchange, boolean head) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Cache-Control", "no-store");
        if (head) {
            send(exchange, 200, "text/event-stream", new byte[0], true);
            return;
        }
        Subscriber subscriber = hub.subscribe();
        if (subscriber == null) {
            headers.set("Retry-After", "5");
            send(exchange, 503, "text/plain", "503: too many pages open (--web-max); try again later\n".getBytes(UTF_8), false);
            return;
        }
        try {
            headers.set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("retry: 1000\n: the class, live\n\n".getBytes(UTF_8));   // reconnect after 1 s when dropped
            out.flush();
            while (true) {
                String message = subscriber.next(KEEP_ALIVE_MILLIS);
                if (message == null) {
                    message = ": keep-alive\n\n";
                }
                for (; message != null && message != Subscriber.END; message = subscriber.poll()) {
                    out.write(message.getBytes(UTF_8));
                }
                out.flush();
                if (message == Subscriber.END) {
                    break;
                }
            }
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // close(): the server is stopping
        } finally {
            hub.unsubscribe(subscriber);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = LivePage.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read web/" + name + " from the jar", e);
        }
    }
}
