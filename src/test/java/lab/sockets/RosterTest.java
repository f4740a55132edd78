package lab.sockets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code tcp-server --roster FILE}, the real program as a child process: an ID the student saw
 * acknowledged is in the file even if the server is killed the next instant, the file only ever grows,
 * a file that cannot be opened stops the server at once with one line, and nothing a client sends can
 * put a raw control byte into the file.
 */
class RosterTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final String HEADER = "time,client,id,note";
    /** A roster line for one client: time, the client's ip:port, then the ID field. */
    private static final String LINE = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:\\d\\d),%s,%s(,(duplicate)?)?$";

    @TempDir
    Path dir;

    /** One conversation, nc style; returns the client's name as the server shows it, once the ack is in. */
    private static String sendAcknowledged(int port, byte[] id) throws IOException {
        try (RawPeer peer = RawPeer.connect(port)) {
            peer.expectPrompt().send(withNewline(id));
            RawPeer.Reply reply = peer.readToEnd();
            RawPeer.assertBytes(RawPeer.ackFor(id), reply.bytes(), "the acknowledgement of " + Protocol.escape(id));
            return peer.name();
        }
    }

    private static byte[] withNewline(byte[] id) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes(id);
        line.write('\n');
        return line.toByteArray();
    }

    @Test
    @Timeout(90)
    void everyAcknowledgedIdIsInTheFileAfterKillMinus9() throws Exception {
        Path roster = dir.resolve("roster.csv");
        int clients = 20;
        List<String> names = new ArrayList<>();
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--roster", roster.toString())) {
            int port = server.awaitPort(STARTUP);
            // all at once, so the writer's group commit has several IDs per fsync to get right
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<String>> done = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    byte[] id = ("s" + i).getBytes(UTF_8);
                    done.add(pool.submit(() -> sendAcknowledged(port, id)));
                }
                for (Future<String> future : done) {
                    names.add(future.get());
                }
            } finally {
                pool.shutdownNow();
            }
            server.kill();   // SIGKILL right after the last ack: no shutdown hook, no flush, no close
            server.exitCode(EXIT);
        }
        List<String> lines = Files.readAllLines(roster, UTF_8);
        assertEquals(HEADER, lines.get(0), "the header line");
        for (int i = 0; i < clients; i++) {
            String expected = String.format(LINE, Pattern.quote(names.get(i)), "S" + i);
            assertTrue(lines.stream().anyMatch(line -> line.matches(expected)),
                    "acknowledged ID S" + i + " from " + names.get(i) + " is missing after kill -9; the file:\n"
                            + String.join("\n", lines));
        }
        assertEquals(1 + clients, lines.size(), "one line per acknowledged ID, plus the header:\n"
                + String.join("\n", lines));
    }

    @Test
    @Timeout(90)
    void restartingOnTheSameFileAppends() throws Exception {
        Path roster = dir.resolve("roster.csv");
        String first;
        String second;
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--roster", roster.toString())) {
            first = sendAcknowledged(server.awaitPort(STARTUP), "first1".getBytes(UTF_8));
            server.terminate();
            assertEquals(0, server.exitCode(EXIT), "exit code after SIGTERM");
        }
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--roster", roster.toString())) {
            second = sendAcknowledged(server.awaitPort(STARTUP), "second2".getBytes(UTF_8));
            server.kill();
            server.exitCode(EXIT);
        }
        List<String> lines = Files.readAllLines(roster, UTF_8);
        String all = String.join("\n", lines);
        assertEquals(3, lines.size(), "the header once, then both runs' IDs; the file:\n" + all);
        assertEquals(HEADER, lines.get(0), "the header, once; the file:\n" + all);
        assertTrue(lines.get(1).matches(String.format(LINE, Pattern.quote(first), "FIRST1")),
                "the first run's ID is kept, first; the file:\n" + all);
        assertTrue(lines.get(2).matches(String.format(LINE, Pattern.quote(second), "SECOND2")),
                "the second run's ID is appended after it; the file:\n" + all);
    }

    @Test
    @Timeout(90)
    void onAFullDiskAnIdIsNotAcknowledgedAndLeavesNoPartOfALine() throws Exception {
        Path disk = dir.resolve("disk");
        Files.createDirectory(disk);
        String mounted = run("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", disk.toString());
        assumeTrue(mounted == null, "cannot mount a small tmpfs to fill up (needs root): " + mounted);
        try {
            // the roster's last page has 20 bytes left: an ID's line (about 60 bytes) half fits
            Path roster = disk.resolve("roster.csv");
            String earlier = HEADER + "\n2026-01-01T08:00:00.000Z,127.0.0.1:1,";
            Files.writeString(roster, earlier + "P".repeat(4096 - 20 - earlier.length() - 1) + "\n", UTF_8);
            Path filler = disk.resolve("filler");
            try (var out = Files.newOutputStream(filler)) {
                byte[] page = new byte[4096];
                for (int i = 0; i < 64; i++) {
                    out.write(page);
                    out.flush();
                }
                fail("a 16 KB tmpfs took 256 KB");
            } catch (IOException full) {
                // no space left on device: as intended
            }
            try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--roster", roster.toString())) {
                int port = server.awaitPort(STARTUP);
                try (RawPeer lost = RawPeer.connect(port)) {
                    RawPeer.Reply reply = lost.expectPrompt().send("lost1\n").readToEnd();
                    assertNotEquals(RawPeer.End.TIMEOUT, reply.end(), "the client was left hanging");
                    assertFalse(reply.text().contains("ID received"),
                            "acknowledged although the disk is full: " + reply.text());
                }
                server.awaitErrLine("(?i)roster", EXIT);

                Files.delete(filler);   // the TA frees some space: the server goes on, the file stays well-formed
                String kept = sendAcknowledged(port, "kept2".getBytes(UTF_8));
                server.kill();
                server.exitCode(EXIT);
                List<String> lines = Files.readAllLines(roster, UTF_8);
                String all = lines.stream().map(l -> l.length() > 100 ? l.substring(0, 100) + "..." : l)
                        .collect(Collectors.joining("\n"));
                for (String line : lines.subList(1, lines.size())) {
                    assertTrue(line.matches(String.format(LINE, "[^,]+", "[^,]+")),
                            "a broken line in the roster (part of a failed write?):\n" + line + "\nthe file:\n" + all);
                }
                assertTrue(lines.stream().anyMatch(l -> l.matches(String.format(LINE, Pattern.quote(kept), "KEPT2"))),
                        "the ID acknowledged after space came back is on a line of its own:\n" + all);
            }
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    /** Runs a command; {@code null} if it succeeded, else what went wrong. */
    private static String run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8).trim();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            return process.exitValue() == 0 ? null : String.join(" ", command) + ": " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        }
    }

    @Test
    @Timeout(60)
    void aDirectoryIsAOneLineStartupError() throws Exception {
        assertOneLineStartupError(dir, dir.toString());
    }

    @Test
    @Timeout(60)
    void aPathInAMissingFolderIsAOneLineStartupError() throws Exception {
        Path missing = dir.resolve("no-such-folder").resolve("roster.csv");
        assertOneLineStartupError(missing, missing.toString());
        assertFalse(Files.exists(missing.getParent()), "the server must not create folders on its own");
    }

    private static void assertOneLineStartupError(Path roster, String mentioned) throws Exception {
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--roster", roster.toString())) {
            assertEquals(1, server.exitCode(EXIT), "exit code; stderr:\n" + server.stderr());
            List<String> errors = server.stderr().lines().toList();
            assertEquals(1, errors.size(), "one line on stderr, no stack trace:\n" + server.stderr());
            assertTrue(errors.get(0).startsWith("Error: "), "starts with 'Error: ': " + errors.get(0));
            assertTrue(errors.get(0).contains(mentioned), "names the file: " + errors.get(0));
            assertFalse(server.stdout().contains("listening"),
                    "it must not start serving without its roster:\n" + server.stdout());
        }
    }

    @Test
    @Timeout(90)
    void idsWithControlBytesAreEscapedInTheFileAsOnTheConsole() throws Exception {
        ByteArrayOutputStream everyControl = new ByteArrayOutputStream();
        everyControl.write('c');
        for (int b = 0x00; b < 0x20; b++) {
            if (b != '\n') {   // a newline ends the ID: it can never be inside one
                everyControl.write(b);
            }
        }
        everyControl.write(0x7f);
        everyControl.write('z');
        List<byte[]> ids = List.of(
                everyControl.toByteArray(),
                "\u001b[31mred\u001b[0m\u001b]0;title\u0007".getBytes(UTF_8),            // ANSI colour and title
                "c1\u0085nel\u009bcsi".getBytes(UTF_8),                                  // C1 controls, as UTF-8
                new byte[] {'x', (byte) 0xff, (byte) 0x85, (byte) 0x9b, (byte) 0xc3, 'y'}, // not UTF-8 at all
                "cr\rforged,line".getBytes(UTF_8),                                       // a lone CR inside
                "ls\u2028ps\u2029end".getBytes(UTF_8),                                   // Unicode line breaks
                "a,\"quoted\",b".getBytes(UTF_8));                                        // CSV's own specials
        Path roster = dir.resolve("roster.csv");
        List<String> shown = new ArrayList<>();
        try (JarProcess server = JarProcess.start("tcp-server", "--port", "0", "--roster", roster.toString())) {
            int port = server.awaitPort(STARTUP);
            for (byte[] id : ids) {
                String name = sendAcknowledged(port, id);
                String line = server.awaitLine(Pattern.quote(name) + "  ID .* \\(ended by newline\\)$", EXIT);
                shown.add(line.substring(line.indexOf("  ID ") + 5, line.lastIndexOf(" (ended by newline)")));
            }
            server.terminate();
            assertEquals(0, server.exitCode(EXIT), "exit code after SIGTERM");
        }
        String text = new String(Files.readAllBytes(roster), UTF_8);   // a byte that is not UTF-8 becomes U+FFFD
        Terminal.assertShowsOnly(text, "the roster");
        List<String> lines = text.lines().toList();
        assertEquals(1 + ids.size(), lines.size(), "one line per ID, plus the header:\n" + text);
        for (int i = 0; i < ids.size(); i++) {
            String idAndNote = lines.get(1 + i).split(",", 3)[2];
            String field = idAndNote.substring(0, idAndNote.lastIndexOf(','));   // the note is empty: no duplicates
            String id = field.startsWith("\"") ? field.substring(1, field.length() - 1).replace("\"\"", "\"") : field;
            assertEquals(shown.get(i), id, "the roster shows ID " + (i + 1) + " escaped as the console does");
        }
        assertTrue(shown.get(1).startsWith("\\x1b[31MRED\\x1b[0M"), "ESC is shown as \\x1b: " + shown.get(1));
    }
}
