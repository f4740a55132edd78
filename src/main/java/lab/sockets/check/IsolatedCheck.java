package lab.sockets.check;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One submission of a class run checked in a {@link Namespace} of its own: this same checker is started
 * inside it, {@code sockets check ROLE --run CMD --json DIR}, and its JSON lines are read back into a
 * {@link SubmissionReport}. A submission gets at most {@link #limit} in all; past it, the namespace is
 * stopped, and with it everything the submission started.
 */
final class IsolatedCheck {
    private IsolatedCheck() {}

    /** What the checker inside needs beyond the cases' own time: the JVM's start, the namespace's setup. */
    private static final Duration OVERHEAD = Duration.ofSeconds(30);
    /** Per case, past its time limit: the runner's grace, and the kill and wait after it. */
    private static final Duration PER_CASE = Duration.ofSeconds(5);
    /** The most of the inner checker's output read; a report is far smaller. */
    private static final int MAX_OUTPUT = 16 << 20;
    /** A small, quick-starting JVM: a check is mostly waiting on sockets, and many run at once. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xms16m", "-Xmx256m", "-Xss512k");

    /** The longest a submission with {@code cases} cases may take: each case's limit and a margin, then some. */
    static Duration limit(Setup setup, int cases) {
        return setup.timeLimit().plus(PER_CASE).multipliedBy(cases).plus(OVERHEAD);
    }

    /** Checks {@code setup} with {@code checks} (all of its role) inside a namespace; {@code running} tracks the child. */
    static SubmissionReport run(Setup setup, List<Check> checks, boolean strict, List<Process> running) {
        Duration limit = limit(setup, checks.size());
        String note = "in a network namespace of its own";
        Process process = null;
        try {
            process = new ProcessBuilder(Namespace.wrap(command(setup, checks, strict))).start();
            synchronized (running) {
                running.add(process);
            }
            process.getOutputStream().close();
            CompletableFuture<String> out = slurp(process.getInputStream());
            CompletableFuture<String> err = slurp(process.getErrorStream());
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                stop(process);
            }
            process.waitFor(5, TimeUnit.SECONDS);
            String stdout = out.get(5, TimeUnit.SECONDS);
            String stderr = err.get(5, TimeUnit.SECONDS);
            String why = ended ? "the checker in its namespace " + (process.exitValue() > 1
                    ? "stopped with status " + process.exitValue() + ": " + tail(stderr) : "left it out")
                    : "the submission ran past its limit of " + limit.toSeconds() + " s (its cases' time limits"
                    + " added up, and a margin), and its namespace was stopped";
            return read(setup, checks, strict, stdout, note, why);
        } catch (IOException e) {
            return read(setup, checks, strict, "", note, "cannot start the checker in a namespace: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return read(setup, checks, strict, "", note, "interrupted");
        } catch (Exception e) {
            return read(setup, checks, strict, "", note, "the checker's output was lost: " + e);
        } finally {
            if (process != null) {
                stop(process);
                synchronized (running) {
                    running.remove(process);
                }
            }
        }
    }

    /** {@code java ... lab.sockets.Sockets check ROLE --run CMD --json ... DIR}: this checker, for one submission. */
    private static List<String> command(Setup setup, List<Check> checks, boolean strict) {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Paths.get(entry).toAbsolutePath().toString());
        }
        List<String> argv = new ArrayList<>(List.of(Namespace.java().toString()));
        argv.addAll(JVM_OPTIONS);
        argv.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), "lab.sockets.Sockets", "check",
                setup.role().label(), "--run", setup.run(), "--json", "--port", String.valueOf(setup.port()),
                "--time-limit", setup.timeLimit().toMillis() + "ms"));
        if (strict) {
            argv.add("--strict");
        }
        if (checks.size() < Catalogue.of(setup.role()).size()) {
            for (Check check : checks) {
                argv.add("--case");
                argv.add(check.info().id());
            }
        }
        argv.add(setup.dir().toAbsolutePath().toString());
        return argv;
    }

    /**
     * The report from the inner checker's JSON lines. A case it did not report (it was stopped, or
     * failed) is a failure (a warning for a robust case) whose evidence says {@code why}.
     */
    static SubmissionReport read(Setup setup, List<Check> checks, boolean strict, String json, String note, String why) {
        Map<String, Outcome> reported = new LinkedHashMap<>();
        String innerNote = "";
        for (String line : json.split("\n")) {
            Map<String, Object> fields = JsonLine.parse(line);
            if (fields == null) {
                continue;
            }
            if ("summary".equals(fields.get("event")) && fields.get("note") instanceof String said) {
                innerNote = said;
            }
            Check check = fields.get("case") instanceof String id ? Catalogue.find(checks, id) : null;
            Verdict verdict = verdict(fields.get("verdict"));
            if ("case".equals(fields.get("event")) && check != null && verdict != null) {
                String evidence = fields.get("evidence") instanceof String text ? text : "";
                long millis = fields.get("millis") instanceof Long n ? n : 0;
                reported.put(check.info().id(), new Outcome(check.info(), verdict, evidence, Duration.ofMillis(millis)));
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Check check : checks) {
            Outcome outcome = reported.get(check.info().id());
            if (outcome == null) {
                boolean fails = check.info().kind() == Kind.REQUIRED || strict;
                outcome = new Outcome(check.info(), fails ? Verdict.FAIL : Verdict.WARN,
                        "the case was not reported: " + why, Duration.ZERO);
            }
            outcomes.add(outcome);
        }
        return new SubmissionReport(setup.name(), outcomes, innerNote.isEmpty() ? note : note + "; " + innerNote);
    }

    private static Verdict verdict(Object label) {
        for (Verdict verdict : Verdict.values()) {
            if (verdict.label().equals(label)) {
                return verdict;
            }
        }
        return null;
    }

    /** Kills the namespace: its shell and everything under it (the kernel ends the rest with process 1). */
    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static CompletableFuture<String> slurp(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (in) {
                byte[] kept = in.readNBytes(MAX_OUTPUT);
                in.transferTo(java.io.OutputStream.nullOutputStream());   // never block the checker on a full pipe
                text.complete(new String(kept, UTF_8));
            } catch (IOException e) {
                text.complete("");
            }
        }, "class run output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    /** The last line of the inner checker's stderr: its {@code Error: ...} line. */
    private static String tail(String stderr) {
        String[] lines = stderr.strip().split("\n");
        return lines[lines.length - 1];
    }
}
