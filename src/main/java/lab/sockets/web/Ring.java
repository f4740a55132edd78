package lab.sockets.web;

import lab.sockets.Console;

/** The last {@code capacity} events of one kind, oldest first; older ones are only counted. Not thread-safe. */
final class Ring {
    private final Console.Event[] events;
    private int next;
    private int size;

    Ring(int capacity) {
        events = new Console.Event[capacity];
    }

    void add(Console.Event event) {
        events[next] = event;
        next = (next + 1) % events.length;
        size = Math.min(size + 1, events.length);
    }

    /** The kept events as a JSON array, oldest first: the objects {@code --json} prints. */
    void appendJson(StringBuilder out) {
        out.append('[');
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(events[(next - size + i + events.length) % events.length].json());
        }
        out.append(']');
    }
}
