package lab.sockets.web;

import lab.sockets.ClassList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live page over real HTTP (java.net.http), fed by a real tcp-server through real sockets. */
@Timeout(120)
class LivePageTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void snapshotHoldsTheIdsCountsAndClassList(@TempDir Path dir) throws Exception {
        Path list = Files.writeString(dir.resolve("class.csv"), "id,name\nB08902001,Lin\nb08902002,Chen\nB08902003,Wu\n");
        try (Page p = new Page(4, ClassList.read(list))) {
            assertEquals("ID received: B08902001\n", p.converse("b08902001"));
            assertEquals("ID received: B08902003\n", p.converse("B08902003"));
            assertEquals("ID received: NOT-ON-LIST\n", p.converse("not-on-list"));
            Page.await(() -> count(p, "ids") == 3, "3 IDs counted", WAIT);
            String state = p.state();
            assertTrue(state.contains("\"id\":\"B08902001\""), state);
            assertTrue(state.contains("\"event\":\"id\",\"peer\":\"127.0.0.1:"), "each kept event is the --json object: " + state);
            assertEquals(3, Page.number(state, "connects"), state);
            assertTrue(state.contains("\"expected\":{\"total\":3,\"done\":2,\"notOnTheList\":1,\"missing\":[\"B08902002\"]}"), state);
            assertEquals(0, Page.number(state, "connected"), "everyone has left: " + state);
            assertTrue(state.contains("\"server\":\"tcp-server\""), state);
        }
    }

    /** Clients connected now, and each way a conversation can fail, counted from what the server says. */
    @Test
    void clientsConnectedNowAndFailuresAreCounted() throws Exception {
        try (Page p = new Page(4, null, s -> s.withLimits(s.limits().withIdleTimeout(Duration.ofSeconds(3)).withMaxClients(2)))) {
            int port = p.server.address().getPort();
            try (Socket silent = new Socket(Page.LOOPBACK, port);
                 Socket reset = new Socket(Page.LOOPBACK, port)) {
                Page.await(() -> count(p, "connected") == 2, "2 clients connected now", WAIT);
                try (Socket third = new Socket(Page.LOOPBACK, port)) {
                    String answer = new String(third.getInputStream().readAllBytes(), UTF_8);
                    assertTrue(answer.startsWith("Server busy"), answer);
                }
                reset.setSoLinger(true, 0);   // close() now sends a reset
                reset.getInputStream().readNBytes(lab.sockets.Protocol.PROMPT.length);
                reset.getOutputStream().write("B089".getBytes(UTF_8));
                reset.close();
                Page.await(() -> count(p, "timeouts") == 1, "the silent client timed out", WAIT);
            }
            Page.await(() -> count(p, "connected") == 0, "everyone gone", WAIT);
            String state = p.state();
            assertEquals(1, Page.number(state, "busy"), state);
            assertEquals(1, Page.number(state, "resets"), state);
            assertEquals(0, Page.number(state, "otherFailures"), state);
            assertTrue(state.contains("(idle timeout)") && state.contains("reset"), "the problems are listed: " + state);
        }
    }

    @Test
    void everyAnswerForbidsInlineScriptAndSniffing() throws Exception {
        try (Page p = new Page(4, null)) {
            for (String path : List.of("/", "/app.css", "/app.js", "/state", "/nothing-here", "/index.html")) {
                HttpResponse<String> response = p.get(path);
                String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), path + ": " + csp);
                assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval") || csp.contains("http"), csp);
                assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            }
            assertEquals("no-store", p.get("/state").headers().firstValue("Cache-Control").orElse(""));
            assertTrue(p.get("/").headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(p.get("/app.js").headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
            HttpResponse<String> head = p.send(HttpRequest.newBuilder(p.uri("/events"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, head.statusCode());
            assertEquals("no-store", head.headers().firstValue("Cache-Control").orElse(""));
        }
    }

    @Test
    void thePageHasNoInlineScriptAndIsSmall() throws Exception {
        try (Page p = new Page(4, null)) {
            String html = p.get("/").body();
            assertFalse(html.matches("(?s).*<script>.*") || html.contains("onload=") || html.contains("onclick="), html);
            assertFalse(html.contains("http://") && !html.contains("http://www.w3.org"), "nothing from another origin");
            String js = p.get("/app.js").body();
            assertFalse(js.contains("innerHTML") || js.contains("outerHTML") || js.contains("insertAdjacentHTML")
                    || js.contains("document.write") || js.contains("eval("), "IDs go in as text only");
            int total = html.getBytes(UTF_8).length + js.getBytes(UTF_8).length + p.get("/app.css").body().getBytes(UTF_8).length;
            assertTrue(total < 50 * 1024, "the whole page is " + total + " bytes");
        }
    }

    @Test
    void readOnlyGetAndHeadOnly() throws Exception {
        try (Page p = new Page(4, null)) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
                HttpResponse<String> response = p.send(HttpRequest.newBuilder(p.uri("/state"))
                        .method(method, HttpRequest.BodyPublishers.ofString("id=B08902001")).build());
                assertEquals(405, response.statusCode(), method);
                assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(""), method);
                assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), method);
            }
            assertEquals(404, p.get("/admin").statusCode());
            assertEquals(404, p.get("/web/app.js").statusCode());
            assertEquals(404, p.get("/../pom.xml").statusCode());
            assertEquals(1, Page.number(p.state(), "events"), "the page's own banner line only: no request became an event");
        }
    }

    @Test
    void eventStreamCarriesEachEventAsTheJsonObject() throws Exception {
        try (Page p = new Page(4, null)) {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpResponse<Stream<String>> stream = openStream(p, lines);
            assertEquals(200, stream.statusCode());
            assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            p.converse("<script>alert(1)</script>");
            String data = awaitLine(lines, "\"event\":\"id\"");
            assertTrue(data.startsWith("data: {\"time\":\""), data);
            assertTrue(data.contains("\"id\":\"<SCRIPT>ALERT(1)</SCRIPT>\""), "the ID as --json writes it: " + data);
            assertTrue(awaitLine(lines, "^event: tick").startsWith("event: tick"));
            assertTrue(awaitLine(lines, "\"counts\"").contains("\"ids\":1"));
            stream.body().close();
        }
    }

    /** A flood (a load test) is counted in full but streamed only up to Hub.STREAMED_PER_SECOND a second. */
    @Test
    void aFloodIsCountedButStreamedOnlyInPart() throws Exception {
        try (Page p = new Page(4, null)) {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpResponse<Stream<String>> stream = openStream(p, lines);
            long start = System.currentTimeMillis();
            for (int i = 0; i < 2_000; i++) {
                p.console.event("padding", null, "flood", "n", i);
            }
            long seconds = System.currentTimeMillis() / 1000 - start / 1000 + 1;   // the seconds the flood spanned
            p.console.event("marker", null, "after the flood");
            Page.await(() -> count(p, "events") >= 2_002, "all counted", WAIT);
            // Everything streamed has come once two ticks have come after the flood (the hub sends in order).
            List<String> received = new ArrayList<>();
            for (int ticks = 0; ticks < 2; ) {
                String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(line, "the stream stopped");
                received.add(line);
                if (line.startsWith("event: tick")) {
                    ticks++;
                }
            }
            long streamed = received.stream().filter(line -> line.contains("\"event\":\"padding\"")).count();
            assertTrue(streamed > 0, "some of the flood is streamed");
            assertTrue(streamed <= seconds * Hub.STREAMED_PER_SECOND, streamed + " padding events streamed in " + seconds + " s");
            assertTrue(Page.number(p.state(), "notStreamed") >= 2_000 - seconds * Hub.STREAMED_PER_SECOND, web(p.state()));
            assertEquals(0, Page.number(p.state(), "droppedSubscribers"), "a capped stream keeps its page");
            stream.body().close();
        }
    }

    @Test
    void onePageMoreThanWebMaxGets503() throws Exception {
        try (Page p = new Page(2, null)) {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpResponse<Stream<String>> first = openStream(p, lines);
            HttpResponse<Stream<String>> second = openStream(p, lines);
            HttpResponse<String> third = p.get("/events");
            assertEquals(503, third.statusCode());
            assertTrue(third.headers().firstValue("Retry-After").isPresent());
            assertEquals(200, p.get("/state").statusCode(), "the page itself is still served");
            first.body().close();
            second.body().close();
            Page.await(() -> count(p, "subscribers") == 0, "both places free again", WAIT);
            HttpResponse<Stream<String>> again = openStream(p, lines);
            assertEquals(200, again.statusCode());
            again.body().close();
        }
    }

    /**
     * A page that never reads: its stream backs up, its queue fills, it is dropped, and meanwhile the
     * server serves students and other pages as if it were not there. Once it reads again, its stream has
     * ended, and a reconnect starts from /state, which holds everything.
     */
    @Test
    void aPageThatNeverReadsIsDroppedAndReconnectsFromState() throws Exception {
        // Every event streamed (not Hub.STREAMED_PER_SECOND), so that the stuck page's stream backs up in seconds.
        try (Page p = new Page(4, null, UnaryOperator.identity(), Integer.MAX_VALUE);
             Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);   // before connect: a small window, so the stream backs up soon
            stuck.connect(new java.net.InetSocketAddress(Page.LOOPBACK, p.page.address().getPort()), 5000);
            stuck.setSoTimeout(10_000);
            OutputStream request = stuck.getOutputStream();
            request.write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(UTF_8));
            InputStream in = stuck.getInputStream();
            assertTrue(Page.readSome(in, 64).startsWith("HTTP/1.1 200"));
            Page.await(() -> count(p, "subscribers") == 1, "the page subscribed", WAIT);

            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpResponse<Stream<String>> healthy = openStream(p, lines);
            // The stuck page is not reading: events (each with a 1,000-byte text, as a long ID makes) pile up.
            String longText = "x".repeat(4000);
            long end = System.nanoTime() + WAIT.toNanos();
            for (int i = 0; count(p, "droppedSubscribers") == 0; i++) {
                assertTrue(System.nanoTime() < end, "the stuck page was never dropped: " + web(p.state()));
                for (int j = 0; j < 100; j++) {
                    p.console.event("padding", null, longText, "n", i * 100 + j);
                }
                long started = System.nanoTime();
                assertEquals("ID received: B" + i + "\n", p.converse("b" + i), "students are still served");
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "and at once");
            }
            assertTrue(count(p, "droppedSubscribers") == 1, web(p.state()));
            p.converse("after-the-drop");
            assertNotNull(awaitLine(lines, "AFTER-THE-DROP"), "the other page still gets its events");

            // The stuck page reads again: its stream has ended (the last chunk), so it reconnects, and /state
            // holds what it missed.
            stuck.setSoTimeout(20_000);
            StringBuilder tail = new StringBuilder();
            while (!tail.toString().endsWith("\r\n0\r\n\r\n")) {
                String more = Page.readSome(in, 65536);
                assertFalse(more.isEmpty(), "the dropped stream should end with its last chunk");
                tail.append(more);
                tail.delete(0, Math.max(0, tail.length() - 16));
            }
            BlockingQueue<String> again = new LinkedBlockingQueue<>();
            HttpResponse<Stream<String>> reconnected = openStream(p, again);
            assertEquals(200, reconnected.statusCode());
            assertTrue(p.state().contains("AFTER-THE-DROP"), "the snapshot has what the dropped page missed");
            p.converse("after-the-reconnect");
            assertNotNull(awaitLine(again, "AFTER-THE-RECONNECT"));
            healthy.body().close();
            reconnected.body().close();
        }
    }

    /** Ten thousand students: the counts hold them all, /state stays the same size. */
    @Test
    void tenThousandStudentsKeepStateBounded() throws Exception {
        try (Page p = new Page(4, null)) {
            run(p, 0, 1_000);
            Page.await(() -> count(p, "ids") == 1_000, "1,000 IDs counted", WAIT);
            int after1000 = p.state().length();
            run(p, 1_000, 10_000);
            Page.await(() -> count(p, "ids") == 10_000, "10,000 IDs counted", Duration.ofSeconds(60));
            String state = p.state();
            assertEquals(10_000, Page.number(state, "connects"));
            assertEquals(0, Page.number(state, "eventsLost"), state.substring(0, 600));
            int kept = state.split("\"event\":\"id\"", -1).length - 1;
            assertTrue(kept <= Tally.KEPT_IDS + Tally.KEPT_EVENTS, kept + " ID events kept");
            assertTrue(state.contains("\"id\":\"S09999\""), "the newest is kept");
            assertFalse(state.contains("\"id\":\"S00000\""), "the oldest is only counted");
            assertTrue(state.length() < after1000 * 1.1, "after 1,000: " + after1000 + " chars; after 10,000: " + state.length());
        }
    }

    private static void run(Page p, int from, int to) throws Exception {
        ExecutorService students = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> acks = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String id = String.format(java.util.Locale.ROOT, "S%05d", i);
                acks.add(students.submit(() -> p.converse(id)));
            }
            for (Future<String> ack : acks) {
                assertTrue(ack.get(60, TimeUnit.SECONDS).startsWith("ID received: S"));
            }
        } finally {
            students.shutdownNow();
        }
    }

    /** The page's own figures in a /state, for a failure message. */
    private static String web(String state) {
        int at = state.indexOf("\"web\":");
        return at < 0 ? state : state.substring(at, state.indexOf('}', at) + 1);
    }

    static long count(Page p, String name) {
        try {
            return Page.number(p.state(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens /events; a thread of its own puts each line it reads into {@code lines}. */
    static HttpResponse<Stream<String>> openStream(Page p, BlockingQueue<String> lines) throws Exception {
        HttpResponse<Stream<String>> response = p.http.send(HttpRequest.newBuilder(p.uri("/events")).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() == 200) {
            Thread reader = new Thread(() -> {
                try {
                    response.body().forEach(lines::add);
                } catch (RuntimeException closed) {
                    // the test closed the stream
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }
        return response;
    }

    /** The next line that contains a match of {@code regex}. */
    static String awaitLine(BlockingQueue<String> lines, String regex) throws InterruptedException {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        long end = System.nanoTime() + WAIT.toNanos();
        for (String line; (line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            if (pattern.matcher(line).find()) {
                return line;
            }
        }
        throw new AssertionError("no line matching /" + regex + "/ within " + WAIT);
    }
}
