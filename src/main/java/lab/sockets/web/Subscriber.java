package lab.sockets.web;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open page's event stream: what the hub has for it and its HTTP thread has not yet sent. The queue is
 * bounded; when it is full the page is not keeping up (or not reading at all), and is dropped: its stream
 * ends, and the page reconnects and starts again from {@code /state}.
 */
final class Subscriber {
    /** Messages waiting for one page: many seconds of a busy server's events at the streaming cap. */
    static final int QUEUE = 1024;
    /** Put in the queue to end the stream; recognised by identity, so no message can be mistaken for it. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    static final String END = new String("end of stream");

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean dropped;

    /** Called by the hub; never waits. Returns false once the page has fallen behind and is dropped. */
    boolean offer(String message) {
        if (dropped) {
            return false;
        }
        if (!queue.offer(message)) {
            end();
            return false;
        }
        return true;
    }

    /** Ends the stream: what is queued is thrown away, the page will resync. */
    void end() {
        dropped = true;
        queue.clear();
        queue.offer(END);
    }

    /** The next message, or {@code null} if none came within {@code millis}. */
    String next(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The next message if one is waiting. */
    String poll() {
        return queue.poll();
    }

    boolean dropped() {
        return dropped;
    }
}
