package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.DurationConverter;
import lab.sockets.Errno;
import lab.sockets.Failure;
import lab.sockets.Protocol;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The slides' {@code input()}, while the server waits. The slides' client blocks in {@code input()} and
 * learns that the server gave up only when it sends the ID into a closed connection. Here the student
 * types on a thread of its own while the client waits for whichever comes first: the typed line, the
 * server closing the connection (said at once), or {@code --type-timeout}. When the prompt was ours,
 * the server is probably a sockets tcp-server, and the student is warned shortly before its idle
 * timeout would close the connection.
 */
final class Typing {
    /** A server that closes sooner than this did not wait for the student: no TA sets so short an idle timeout. */
    private static final Duration NOT_AN_IDLE_TIMEOUT = Duration.ofSeconds(1);

    private final InetSocketAddress server;
    private final Console console;
    private final ReplyReader reader;
    private final Duration limit;

    Typing(InetSocketAddress server, Console console, ReplyReader reader, Duration limit) {
        this.server = server;
        this.console = console;
        this.reader = reader;
        this.limit = limit;
    }

    /**
     * The line {@code typeId} returns, or a {@link Failure} if the server closes first or the time runs out.
     *
     * @param connectedAt   when the connection was made ({@link System#nanoTime}): the server's idle clock starts then
     * @param idleTimeout   the server's idle timeout, to warn before it; {@code null} if unknown
     */
    String await(Supplier<String> typeId, long connectedAt, Duration idleTimeout) {
        CompletableFuture<String> typed = new CompletableFuture<>();
        Thread keyboard = new Thread(new Keyboard(typeId, typed), "tcp-client-input");
        keyboard.setDaemon(true);   // a read of the keyboard cannot be interrupted: let the JVM exit past it
        keyboard.start();

        long start = System.nanoTime();
        long giveUpAt = start + limit.toNanos();
        boolean warn = idleTimeout != null;
        long warnAt = 0;
        if (warn) {
            Duration before = idleTimeout.dividedBy(2).compareTo(TcpClient.WARN_BEFORE) < 0
                    ? idleTimeout.dividedBy(2) : TcpClient.WARN_BEFORE;
            warnAt = connectedAt + idleTimeout.minus(before).toNanos();
        }
        CompletableFuture<Object> either = CompletableFuture.anyOf(typed, reader.closed());
        while (true) {
            if (reader.closed().isDone()) {
                throw closedWhileTyping(reader.closed().join(), connectedAt, idleTimeout);
            }
            if (typed.isDone()) {
                return line(typed);
            }
            long now = System.nanoTime();
            if (now - giveUpAt >= 0) {
                throw new Failure("no ID typed within " + DurationConverter.format(limit) + " (--type-timeout):"
                        + " run tcp-client again and type the ID, or pass it with --id");
            }
            if (warn && now - warnAt >= 0) {
                warn = false;
                console.event("warning", server, "still no ID: a sockets tcp-server closes a silent connection after "
                        + seconds(idleTimeout.toNanos()) + "; type the ID and press Enter within "
                        + seconds(connectedAt + idleTimeout.toNanos() - now));
            }
            try {
                either.get(warn ? Math.min(giveUpAt - now, warnAt - now) : giveUpAt - now, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // time to check the clock, or the typing failed: the loop's checks say which
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted");
            }
        }
    }

    private Failure closedWhileTyping(ReplyReader.Heard heard, long connectedAt, Duration idleTimeout) {
        String how = heard.error() == null ? "closed the connection" : "ended the connection (" + Errno.describe(heard.error()) + ")";
        String said = heard.bytes().length == 0 ? ""
                : " (it said: " + Protocol.escape(TcpClient.stripNewline(heard.bytes())) + ")";
        long silent = System.nanoTime() - connectedAt;
        String why = idleTimeout != null && silent >= NOT_AN_IDLE_TIMEOUT.toNanos()
                ? ": most likely its idle timeout (a sockets tcp-server waits " + seconds(idleTimeout.toNanos()) + " by default);"
                        + " run tcp-client again and type the ID sooner, or pass it with --id"
                : "; is it stopping? Run tcp-client again, and ask the TA if it happens again";
        return new Failure(Addresses.format(server) + " " + how + " after " + seconds(silent) + ", before the ID was sent"
                + said + why);
    }

    /** The typed line, or the typing's own failure (no line at all) as it was thrown. */
    private static String line(CompletableFuture<String> typed) {
        try {
            return typed.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** {@code 9.8 s}, or {@code 60 s} for whole seconds, to the nearest tenth. */
    private static String seconds(long nanos) {
        long tenths = (Math.max(0, nanos) + 50_000_000) / 100_000_000;
        return tenths % 10 == 0 ? tenths / 10 + " s" : String.format(Locale.ROOT, "%.1f s", tenths / 10.0);
    }

    /** Reads the keyboard on its own thread. */
    private static final class Keyboard implements Runnable {
        private final Supplier<String> typeId;
        private final CompletableFuture<String> typed;

        Keyboard(Supplier<String> typeId, CompletableFuture<String> typed) {
            this.typeId = typeId;
            this.typed = typed;
        }

        @Override
        public void run() {
            try {
                typed.complete(typeId.get());
            } catch (RuntimeException e) {
                typed.completeExceptionally(e);
            }
        }
    }
}
