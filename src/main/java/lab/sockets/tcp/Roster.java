package lab.sockets.tcp;

import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * Where received IDs are kept. The server acknowledges an ID only once its roster says it is kept,
 * so a student who saw {@code ID received} is on the list even if the server dies the next instant.
 */
public interface Roster extends AutoCloseable {
    /** No file: IDs are only shown on the console, and acknowledged at once. */
    Roster NONE = (peer, id, duplicate, whenDone) -> whenDone.accept(true);

    /**
     * Keeps {@code id} (already upper-cased; {@code duplicate} if this server run recorded it before), then calls {@code whenDone} with whether it is kept, on
     * any thread. Must not block the caller: the caller is an event loop serving other clients.
     */
    void record(SocketAddress peer, byte[] id, boolean duplicate, Consumer<Boolean> whenDone);

    @Override
    default void close() {
    }
}
