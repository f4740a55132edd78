package lab.sockets.tcp;

import lab.sockets.Failure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client's last {@code s.recv(1000)}, the one for the acknowledgement, started as soon as the prompt is
 * shown and run on a thread of its own: it reads everything the server sends until it closes. While the
 * student types, that tells the client at once when the server gives up on it (its idle timeout),
 * instead of after the student presses Enter; once the ID is sent, what it read is the acknowledgement.
 */
final class ReplyReader implements Runnable {
    /** What the server sent until its end of stream, or until {@code error} ended the connection. */
    record Heard(byte[] bytes, IOException error) {}

    private final InputStream in;
    private final CompletableFuture<Heard> heard = new CompletableFuture<>();

    private ReplyReader(InputStream in) {
        this.in = in;
    }

    /** Starts reading {@code in}, the stream of {@code socket}, on a daemon thread. */
    static ReplyReader start(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(0);   // whoever awaits bounds the wait; closing the socket ends the read
        ReplyReader reader = new ReplyReader(in);
        Thread thread = new Thread(reader, "tcp-client-recv");
        thread.setDaemon(true);
        thread.start();
        return reader;
    }

    @Override
    public void run() {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while (reply.size() < TcpClient.MAX_REPLY_BYTES && (n = in.read(buffer)) >= 0) {
                reply.write(buffer, 0, n);
            }
            heard.complete(new Heard(reply.toByteArray(), null));
        } catch (IOException e) {
            heard.complete(new Heard(reply.toByteArray(), e));
        }
    }

    /** Completes when the server has closed (or reset) the connection. */
    CompletableFuture<Heard> closed() {
        return heard;
    }

    /** What the server sent until it closed, or {@code null} if it had not closed when {@code budget} ran out. */
    Heard await(TcpClient.Budget budget) {
        try {
            return heard.get(budget.millisLeft(), TimeUnit.MILLISECONDS);
        } catch (SocketTimeoutException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);   // run() completes normally, always
        }
    }
}
