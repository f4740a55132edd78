package lab.sockets.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What simulated clients measured: how each conversation ended, how long it took, and who was still waiting
 * at the end. Each event loop fills its own, and only its thread writes it; once the loops have stopped,
 * {@link #add} sums them into the run's, which {@link TcpLoadResult} reads. The few live counts that the
 * progress lines read while the run goes are atomics; nothing else here is shared or locked.
 */
final class TcpLoadStats {
    /** How a conversation that went as the protocol says (the server closed after our ID) was answered. */
    enum Reply {
        ACKNOWLEDGED,   // exactly "ID received: <the ID, upper-cased>\n"
        REFUSED,        // "ID not recorded: <why>\n", e.g. a server whose --id-pattern our ID does not match
        OTHER,          // other bytes (the reference servers send back just the ID)
        NONE            // closed without a word (the slides' server)
    }

    /** What went wrong with a conversation. */
    enum Problem {
        REFUSED("refused"),           // ECONNREFUSED: nothing listens on that port
        RESET("reset"),               // ECONNRESET, EPIPE: the server aborted the connection
        TIMEOUT("timeout"),           // no progress within the timeout (a full backlog drops SYNs, too)
        WRONG_PROMPT("wrong prompt"), // the first bytes were not exactly the prompt, or it closed before
        CLOSED_EARLY("closed early"), // the server closed a held client before it sent its ID
        OTHER("other");               // anything else, e.g. EADDRNOTAVAIL: no ephemeral port left

        final String label;

        Problem(String label) {
            this.label = label;
        }
    }

    /** What a client still in the middle of a conversation when the run ended was waiting for. */
    enum Waiting {
        CONNECTING,   // connect() sent a SYN: the server's kernel has not completed the handshake
        PROMPT,       // connected (queued in the server's backlog) but no prompt yet: not accept()ed
        REPLY         // the ID is sent: waiting for the acknowledgement and the server's close
    }

    /** Live: conversations served and failed, clients with a conversation under way (closed loop), clients
     *  that got their prompt and clients holding their connection silent (hold mode). */
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong busy = new AtomicLong();
    final AtomicLong prompted = new AtomicLong();
    final AtomicLong held = new AtomicLong();

    private final Latencies latencies = new Latencies();
    private final long[] replies = new long[Reply.values().length];
    private final long[] problems = new long[Problem.values().length];
    private final long[] waiting = new long[Waiting.values().length];
    private long oldestWaitNanos;
    /** The first {@link Problem#OTHER}'s error, since "other" alone says nothing. */
    private String firstOther;

    /** A conversation done, {@code nanos} after it started. */
    void served(long nanos, Reply reply) {
        latencies.record(nanos);
        replies[reply.ordinal()]++;
        completed.incrementAndGet();
    }

    /** A conversation that went wrong; {@code detail} is the error's text, if there was one. */
    void failed(Problem problem, String detail) {
        problems[problem.ordinal()]++;
        failed.incrementAndGet();
        if (problem == Problem.OTHER && firstOther == null) {
            firstOther = detail;
        }
    }

    /** At the end of the run: a client still waiting, for {@code nanos} so far. */
    void stillWaiting(Waiting stage, long nanos) {
        waiting[stage.ordinal()]++;
        oldestWaitNanos = Math.max(oldestWaitNanos, nanos);
    }

    /** Adds {@code other}'s figures (not the live counts) to these: the run's total is every loop's added up. */
    void add(TcpLoadStats other) {
        latencies.add(other.latencies);
        addAll(replies, other.replies);
        addAll(problems, other.problems);
        addAll(waiting, other.waiting);
        oldestWaitNanos = Math.max(oldestWaitNanos, other.oldestWaitNanos);
        if (firstOther == null) {
            firstOther = other.firstOther;
        }
    }

    /** Conversations that ended as the protocol says, whatever the reply. */
    long served() {
        return total(replies);
    }

    long replies(Reply reply) {
        return replies[reply.ordinal()];
    }

    long errors() {
        return total(problems);
    }

    long errors(Problem problem) {
        return problems[problem.ordinal()];
    }

    long stillWaiting() {
        return total(waiting);
    }

    long waiting(Waiting stage) {
        return waiting[stage.ordinal()];
    }

    long oldestWaitNanos() {
        return oldestWaitNanos;
    }

    String firstOther() {
        return firstOther;
    }

    Latencies latencies() {
        return latencies;
    }

    private static void addAll(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    private static long total(long[] counts) {
        long total = 0;
        for (long n : counts) {
            total += n;
        }
        return total;
    }
}
