package lab.sockets.web;

import lab.sockets.ClassList;
import lab.sockets.Console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * What the page shows, kept from the server's events: counts of everything since the start, and the last
 * few events of each kind ({@link #KEPT_IDS} IDs, {@link #KEPT_PROBLEMS} problems, {@link #KEPT_EVENTS}
 * events of any kind), so that however many students connect, {@code /state} stays the same size.
 * The hub's thread adds; {@code /state} reads: both under this object's lock.
 */
final class Tally {
    static final int KEPT_IDS = 500;
    static final int KEPT_PROBLEMS = 100;
    static final int KEPT_EVENTS = 200;
    /** UDP senders counted one by one; beyond these, together as "other senders". */
    static final int KEPT_SENDERS = 1000;
    /** Senders listed in {@code /state}, the busiest first. */
    static final int SHOWN_SENDERS = 50;

    private final String server;
    private final ClassList expected;
    private final long started = System.currentTimeMillis();
    private final Ring ids = new Ring(KEPT_IDS);
    private final Ring problems = new Ring(KEPT_PROBLEMS);
    private final Ring recent = new Ring(KEPT_EVENTS);
    private final Rates rates = new Rates();
    private final Map<String, long[]> senders = new LinkedHashMap<>();   // peer -> {datagrams, dropped}
    private final long[] otherSenders = new long[2];
    private final Set<String> expectedIds;
    private final Set<String> done = new HashSet<>();
    private volatile IntSupplier connected = () -> -1;
    private long events;
    private long seq;
    private long idsReceived;
    private long emptyIds;
    private long unexpected;
    private long connects;
    private long timeouts;
    private long resets;
    private long busy;
    private long otherFailures;
    private long datagrams;
    private long dropped;
    private long notAnswered;
    private long errors;

    Tally(String server, ClassList expected) {
        this.server = server;
        this.expected = expected;
        this.expectedIds = expected == null ? Set.of() : new HashSet<>(expected.ids());
    }

    void connectedFrom(IntSupplier supplier) {
        connected = supplier;
    }

    /** Counts one event and keeps it if it is among the last of its kind; returns its sequence number. */
    synchronized long add(Console.Event e) {
        events++;
        recent.add(e);
        switch (e.event()) {
            case "connect" -> connects++;
            case "id" -> addId(e);
            case "busy" -> {
                busy++;
                problems.add(e);
            }
            case "close" -> {
                classifyClose(e.text());
                problems.add(e);
            }
            case "datagram" -> addDatagrams(e, 1);
            case "not-shown" -> addDatagrams(e, number(e, "count"));
            case "drop" -> {
                dropped++;
                sender(e.peer())[1]++;
            }
            case "no-reply" -> {
                notAnswered++;
                problems.add(e);
            }
            case "error", "accept-paused" -> {
                errors++;
                problems.add(e);
            }
            default -> { }
        }
        return ++seq;
    }

    private void addId(Console.Event e) {
        String id = String.valueOf(field(e, "id"));
        rates.add(e.millis(), 1);
        if (id.isEmpty()) {
            emptyIds++;
            return;
        }
        idsReceived++;
        ids.add(e);
        if (expected != null) {
            if (expectedIds.contains(id)) {
                done.add(id);
            } else {
                unexpected++;
            }
        }
    }

    /**
     * Sorts a {@code close} event by its text, which the servers write in a fixed wording
     * (see Conversation and IterativeServer; LivePageTest pins the wordings it relies on).
     */
    private void classifyClose(String text) {
        if (text.contains("(idle timeout)") || text.contains("(deadline)")) {
            timeouts++;
        } else if (text.contains("reset")) {
            resets++;
        } else {
            otherFailures++;
        }
    }

    private void addDatagrams(Console.Event e, long n) {
        datagrams += n;
        rates.add(e.millis(), n);
        sender(e.peer())[0] += n;
    }

    private long[] sender(String peer) {
        long[] counts = senders.get(peer);
        if (counts == null) {
            if (senders.size() >= KEPT_SENDERS) {
                return otherSenders;
            }
            counts = new long[2];
            senders.put(peer, counts);
        }
        return counts;
    }

    private static Object field(Console.Event e, String name) {
        Object[] fields = e.fields();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (name.equals(fields[i])) {
                return fields[i + 1];
            }
        }
        return null;
    }

    private static long number(Console.Event e, String name) {
        return field(e, name) instanceof Number n ? n.longValue() : 0;
    }

    /** The counts, the rates and the class list's progress: what each second's tick carries. */
    synchronized String summary(int subscribers, long droppedSubscribers, long lost, long notStreamed) {
        StringBuilder out = new StringBuilder(4096);
        appendSummary(out, subscribers, droppedSubscribers, lost, notStreamed);
        return out.append('}').toString();
    }

    /** The summary and the events kept: what {@code GET /state} answers. */
    synchronized String state(int subscribers, long droppedSubscribers, long lost, long notStreamed) {
        StringBuilder out = new StringBuilder(64 * 1024);
        appendSummary(out, subscribers, droppedSubscribers, lost, notStreamed);
        out.append(",\"ids\":");
        ids.appendJson(out);
        out.append(",\"problems\":");
        problems.appendJson(out);
        out.append(",\"recent\":");
        recent.appendJson(out);
        return out.append('}').toString();
    }

    private void appendSummary(StringBuilder out, int subscribers, long droppedSubscribers, long lost, long notStreamed) {
        long now = System.currentTimeMillis();
        out.append("{\"server\":");
        Console.appendJsonString(out, server);
        out.append(",\"started\":\"").append(Instant.ofEpochMilli(started)).append('"');
        out.append(",\"now\":\"").append(Instant.ofEpochMilli(now)).append('"');
        out.append(",\"seq\":").append(seq);
        out.append(",\"connected\":").append(connected.getAsInt());
        out.append(",\"counts\":{\"events\":").append(events)
                .append(",\"connects\":").append(connects).append(",\"ids\":").append(idsReceived)
                .append(",\"emptyIds\":").append(emptyIds).append(",\"timeouts\":").append(timeouts)
                .append(",\"resets\":").append(resets).append(",\"busy\":").append(busy)
                .append(",\"otherFailures\":").append(otherFailures).append(",\"datagrams\":").append(datagrams)
                .append(",\"senders\":").append(senders.size() + (otherSenders[0] + otherSenders[1] > 0 ? 1 : 0))
                .append(",\"dropped\":").append(dropped).append(",\"notAnswered\":").append(notAnswered)
                .append(",\"errors\":").append(errors).append('}');
        out.append(',');
        rates.appendJson(out, now);
        out.append(",\"topSenders\":[");
        appendSenders(out);
        out.append("],\"expected\":");
        appendExpected(out);
        out.append(",\"web\":{\"subscribers\":").append(subscribers)
                .append(",\"droppedSubscribers\":").append(droppedSubscribers)
                .append(",\"eventsLost\":").append(lost).append(",\"notStreamed\":").append(notStreamed)
                .append(",\"keptIds\":").append(KEPT_IDS).append(",\"keptProblems\":").append(KEPT_PROBLEMS)
                .append(",\"keptEvents\":").append(KEPT_EVENTS).append('}');
    }

    private void appendSenders(StringBuilder out) {
        List<Map.Entry<String, long[]>> busiest = new ArrayList<>(senders.entrySet());
        busiest.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        if (otherSenders[0] + otherSenders[1] > 0) {
            busiest.add(Map.entry("(other senders)", otherSenders));
        }
        for (int i = 0; i < Math.min(SHOWN_SENDERS, busiest.size()); i++) {
            out.append(i > 0 ? "," : "").append("{\"peer\":");
            Console.appendJsonString(out, busiest.get(i).getKey());
            out.append(",\"datagrams\":").append(busiest.get(i).getValue()[0])
                    .append(",\"dropped\":").append(busiest.get(i).getValue()[1]).append('}');
        }
    }

    private void appendExpected(StringBuilder out) {
        if (expected == null) {
            out.append("null");
            return;
        }
        out.append("{\"total\":").append(expected.ids().size()).append(",\"done\":").append(done.size())
                .append(",\"notOnTheList\":").append(unexpected).append(",\"missing\":[");
        List<String> missing = expected.missing(done);
        for (int i = 0; i < missing.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Console.appendJsonString(out, missing.get(i));
        }
        out.append("]}");
    }
}
