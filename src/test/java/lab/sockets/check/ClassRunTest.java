package lab.sockets.check;

import lab.sockets.JarProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A class checked by one command, through the real jar: every submission directory in a network namespace of
 * its own (these tests need that, so they are skipped with the reason where Linux does not allow it).
 */
class ClassRunTest {
    private static final Path SLIDES = Paths.get("scripts", "python");
    private static final Path BROKEN = Paths.get("src", "test", "resources", "check", "broken");
    private static final Duration RUN = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    /** Six students: four hand in the slides' programs, one a prompt without \n, one a reply with a capital D. */
    @Test
    @Timeout(360)
    void aClassOfSixIsCheckedByOneCommand() throws Exception {
        needNamespaces();
        Path submissions = Files.createDirectories(dir.resolve("submissions"));
        List<String> args = new ArrayList<>(List.of("check", "all"));
        for (String name : List.of("ana", "ben", "chloe", "dev", "eve", "fred")) {
            args.add(copyOfSlides(submissions.resolve(name)).toString());
        }
        Files.copy(BROKEN.resolve("tcp-server/prompt-no-newline.py"), submissions.resolve("dev/tcp_server.py"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(BROKEN.resolve("udp-server/capital-reply.py"), submissions.resolve("fred/udp_server.py"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (Role role : Role.values()) {   // the required cases of every role: what the slides' programs pass
            for (Check check : Catalogue.of(role)) {
                if (check.info().kind() == Kind.REQUIRED) {
                    args.addAll(List.of("--case", check.info().id()));
                }
            }
        }
        Path csv = dir.resolve("class.csv");
        args.addAll(List.of("--jobs", "6", "--json", "--csv", csv.toString(), "--html", dir.resolve("class.html").toString()));

        try (JarProcess check = JarProcess.start(args.toArray(new String[0]))) {
            assertEquals(1, check.exitCode(RUN), check.stderr());
            assertTrue(check.stderr().contains("check: 24/24 submissions done, 2 failing, done in"), check.stderr());

            List<String> rows = Files.readAllLines(csv, UTF_8);
            assertEquals(7, rows.size(), String.join("\n", rows));
            for (String row : rows.subList(1, 7)) {
                String[] cells = row.split(",", -1);
                String name = cells[0].substring(cells[0].lastIndexOf('/') + 1);
                String failed = name.equals("dev") ? "tcp-server/prompt" : name.equals("fred") ? "udp-server/reply" : "";
                assertTrue(cells[3].equals(failed) || (!failed.isEmpty() && cells[3].startsWith(failed)),
                        name + " failed exactly its fault: " + row + "\n" + check.stdout());
                if (failed.isEmpty()) {
                    assertEquals(cells[1], cells[2], "the slides' programs pass every required case: " + row);
                }
            }
            for (String line : check.stdout().split("\n")) {
                Map<String, Object> fields = JsonLine.parse(line);
                if (fields != null && "summary".equals(fields.get("event"))) {
                    assertTrue(((String) fields.get("note")).startsWith("in a network namespace of its own"), line);
                }
            }
        }
    }

    /** A program that forks a child, which starts a session of its own and sleeps: gone with its submission. */
    @Test
    @Timeout(180)
    void nothingASubmissionStartsOutlivesIt() throws Exception {
        needNamespaces();
        String mark = String.valueOf(8_000_000 + ProcessHandle.current().pid());   // sleep's argument: unique to this run
        List<Path> submissions = new ArrayList<>();
        for (String name : List.of("ana", "ben")) {
            Path submission = copyOfSlides(dir.resolve(name));
            String server = Files.readString(submission.resolve("tcp_server.py"), UTF_8);
            Files.writeString(submission.resolve("tcp_server.py"), "import os\n"
                    + "if os.fork() == 0:\n"
                    + "    os.setsid()\n"
                    + "    open(" + python(submission.resolve("sleeper-started")) + ", 'w').close()\n"
                    + "    os.execvp('sleep', ['sleep', '" + mark + "'])\n"
                    + server, UTF_8);
            submissions.add(submission);
        }
        try (JarProcess check = JarProcess.start("check", "tcp-server", "--run", "python3 {dir}/tcp_server.py",
                "--case", "tcp-server/accepts", submissions.get(0).toString(), submissions.get(1).toString())) {
            assertEquals(0, check.exitCode(RUN), check.stdout() + check.stderr());
        }
        for (Path submission : submissions) {
            assertTrue(Files.exists(submission.resolve("sleeper-started")), "the sleeper ran in " + submission);
        }
        for (ProcessHandle left : withArgument(mark)) {
            try {
                left.onExit().get(10, TimeUnit.SECONDS);   // a namespace's processes die with it, within moments
            } catch (TimeoutException e) {
                left.destroyForcibly();
                throw new AssertionError("process " + left.pid() + " (sleep " + mark + ") outlived its submission");
            }
        }
    }

    /**
     * Two programs that hard-code the slides' port, each waiting (up to 20 s) for the other to start before it
     * binds: both pass only if they run at the same time, each on its own port 65432.
     */
    @Test
    @Timeout(180)
    void twoProgramsOnTheSlidesPortRunSideBySide() throws Exception {
        needNamespaces();
        Path meeting = Files.createDirectories(dir.resolve("meeting"));
        List<Path> submissions = new ArrayList<>();
        for (String name : List.of("ana", "ben")) {
            Path submission = copyOfSlides(dir.resolve(name));
            String other = name.equals("ana") ? "ben" : "ana";
            String server = Files.readString(submission.resolve("tcp_server.py"), UTF_8);
            Files.writeString(submission.resolve("tcp_server.py"), "import os, sys, time\n"
                    + "open(" + python(meeting.resolve(name)) + ", 'w').close()\n"
                    + "for _ in range(200):\n"
                    + "    if os.path.exists(" + python(meeting.resolve(other)) + "):\n"
                    + "        break\n"
                    + "    time.sleep(0.1)\n"
                    + "else:\n"
                    + "    sys.exit('the other program never started')\n"
                    + server, UTF_8);
            submissions.add(submission);
        }
        try (JarProcess check = JarProcess.start("check", "tcp-server", "--run", "python3 {dir}/tcp_server.py",
                "--case", "tcp-server/accepts", "--time-limit", "30s", "--jobs", "2",
                submissions.get(0).toString(), submissions.get(1).toString())) {
            assertEquals(0, check.exitCode(RUN), check.stdout() + check.stderr());
            assertTrue(check.stdout().contains("in a network namespace of its own; cases one at a time, on port 65432"), check.stdout());
        }
    }

    @Test
    @Timeout(120)
    void badClassRunsAreRefusedBeforeAnythingRuns() throws Exception {
        Path ana = copyOfSlides(dir.resolve("ana"));
        try (JarProcess check = JarProcess.start("check", "tcp-server", "--run", "python3 {dir}/tcp_server.py",
                "--jobs", "0", ana.toString(), ana.toString())) {
            assertEquals(2, check.exitCode(RUN));
            assertTrue(check.stderr().startsWith("--jobs must be 1 or more\n"), check.stderr());
        }
        try (JarProcess check = JarProcess.start("check", "all")) {
            assertEquals(2, check.exitCode(RUN));
            assertTrue(check.stderr().startsWith("CMD has {dir}, but no submission directory was given"), check.stderr());
        }
        Path nowhere = dir.resolve("no-such-directory").resolve("class.html");
        try (JarProcess check = JarProcess.start("check", "all", ana.toString(), "--html", nowhere.toString())) {
            assertEquals(1, check.exitCode(RUN));
            assertEquals("Error: cannot write --html " + nowhere + ": no directory " + nowhere.getParent() + "\n",
                    check.stderr());
        }
    }

    private static void needNamespaces() {
        String why = Namespace.unavailable();
        if (why != null) {
            Assumptions.abort("a class run in namespaces is not possible here: " + why);
        }
    }

    private static Path copyOfSlides(Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(SLIDES)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().endsWith(".py")) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
        return to;
    }

    /** A path as a Python string literal. */
    private static String python(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Every process whose command line has {@code argument} as one of its words. */
    private static List<ProcessHandle> withArgument(String argument) throws IOException {
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Paths.get("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                try {
                    String cmdline = new String(Files.readAllBytes(entry.resolve("cmdline")), UTF_8);
                    if (List.of(cmdline.split("\0")).contains(argument)) {
                        ProcessHandle.of(Long.parseLong(entry.getFileName().toString())).ifPresent(found::add);
                    }
                } catch (IOException | NumberFormatException notAProcess) {
                    // gone, or not a process directory
                }
            }
        }
        return found;
    }
}
