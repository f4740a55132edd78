package lab.sockets.tcp;

import lab.sockets.Addresses;
import lab.sockets.Console;
import lab.sockets.Errno;
import lab.sockets.Protocol;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The roster as a CSV file, one line per ID, appended and forced to disk before the ID is acknowledged:
 * <pre>
 *   time,client,id,note
 *   2026-11-25T15:32:07.412+08:00,192.168.1.23:52814,B08902001,
 *   2026-11-25T15:33:10.004+08:00,192.168.1.23:52990,B08902001,duplicate
 * </pre>
 * Forcing a file to disk (fsync) takes milliseconds, far too long for an event loop to wait, so one
 * writer thread does it for everyone: it takes every ID waiting, appends them all, forces once, then
 * lets their conversations acknowledge ("group commit"). Under load one fsync covers many IDs.
 * IDs are escaped like the console ({@link Protocol#escape}), so the file holds no control bytes.
 */
public final class RosterFile implements Roster {
    static final String HEADER = "time,client,id,note\n";

    private record Entry(byte[] line, Consumer<Boolean> whenDone) {}

    private static final Entry END = new Entry(new byte[0], ok -> {});

    private final FileChannel file;
    private final Console console;
    private final BlockingQueue<Entry> waiting = new LinkedBlockingQueue<>();
    private final Thread writer;

    private RosterFile(FileChannel file, Console console) {
        this.file = file;
        this.console = console;
        this.writer = new Thread(this::writeLoop, "roster-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens {@code path} for appending (creating it with a header line if new). */
    public static RosterFile open(Path path, Console console) throws IOException {
        FileChannel file = FileChannel.open(path,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try {
            if (file.size() == 0) {
                file.write(ByteBuffer.wrap(HEADER.getBytes(UTF_8)));
                file.force(true);
            }
        } catch (IOException e) {
            file.close();
            throw e;
        }
        return new RosterFile(file, console);
    }

    @Override
    public void record(SocketAddress peer, byte[] id, boolean duplicate, Consumer<Boolean> whenDone) {
        String line = timestamp(ZonedDateTime.now()) + "," + Addresses.format(peer) + ","
                + csvField(Protocol.escape(id)) + "," + (duplicate ? "duplicate" : "") + "\n";
        waiting.add(new Entry(line.getBytes(UTF_8), whenDone));
    }

    /** Writes what is waiting and closes the file; IDs recorded before this call are all on disk after it. */
    @Override
    public void close() {
        waiting.add(END);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            file.close();
        } catch (IOException ignored) {
            // everything acknowledged was already forced to disk
        }
    }

    private void writeLoop() {
        List<Entry> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(waiting.take());
            } catch (InterruptedException e) {
                return;
            }
            waiting.drainTo(batch);
            boolean last = batch.remove(END);
            boolean kept = append(batch);
            for (Entry entry : batch) {
                entry.whenDone().accept(kept);
            }
            batch.clear();
            if (last) {
                return;
            }
        }
    }

    private boolean append(List<Entry> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        int size = 0;
        for (Entry entry : batch) {
            size += entry.line().length;
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (Entry entry : batch) {
            all.put(entry.line());
        }
        all.flip();
        long before = -1;
        try {
            before = file.size();
            while (all.hasRemaining()) {
                file.write(all);
            }
            file.force(false);   // fsync: on disk, not just in the page cache, before anyone is told
            return true;
        } catch (IOException e) {
            cutBackTo(before);
            console.problem("roster", null, "could not write the roster: " + Errno.describe(e)
                    + "; " + batch.size() + " ID(s) not acknowledged");
            return false;
        }
    }

    /** A failed append (the disk filled up mid-line) is cut off, so the next line does not start inside it. */
    private void cutBackTo(long size) {
        if (size >= 0) {
            try {
                file.truncate(size);
            } catch (IOException ignored) {
                // nothing more to do: these IDs are not acknowledged either way
            }
        }
    }

    /** {@code 2026-11-25T15:32:07.412+08:00}: the date too, since a roster outlives the day. */
    static String timestamp(ZonedDateTime when) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(when.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * One CSV cell. A spreadsheet runs a cell that starts with {@code = + - @}, tab or CR as a formula
     * ({@code =cmd|"/c calc"!A1}), so such a cell gets a leading apostrophe, as OWASP's "CSV injection"
     * page recommends: shown as text, the ID still readable. Then RFC 4180: quote a cell that holds a
     * comma or a quote, doubling its quotes.
     */
    static String csvField(String value) {
        String cell = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
