package lab.sockets.check;

import lab.sockets.check.Check.Needs;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the cases against one submission. Each case gets a fresh start of the program, a deadline, and
 * (when the command line has {@code {port}}) a port of its own, so cases run side by side: most of a
 * case is waiting. On the slides' fixed port they run one after the other.
 */
final class CaseRunner {
    private CaseRunner() {}

    /** Cases run at once when each has its own port. */
    static final int SIDE_BY_SIDE = 4;
    /** Past the time limit, how long a case's own steps get to notice before the runner ends it. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    /** Runs {@code checks} against {@code setup}'s program; a failed robust case is a warning unless {@code strict}. */
    static SubmissionReport run(Setup setup, List<Check> checks, boolean strict) {
        int threads = setup.choosesPorts() ? Math.max(1, Math.min(SIDE_BY_SIDE, checks.size())) : 1;
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "check " + setup.role().label());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Outcome>> running = new ArrayList<>();
            for (Check check : checks) {
                running.add(pool.submit(() -> runOne(setup, check, strict)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> outcome : running) {
                outcomes.add(outcome.get());
            }
            String note = setup.choosesPorts() ? "" : "cases one at a time, on port " + setup.port();
            return new SubmissionReport(setup.name(), outcomes, note);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());   // runOne catches everything: this is a bug
        } finally {
            pool.shutdownNow();
        }
    }

    /** One case: a fresh trial, its steps bounded by the time limit, then everything it started ended. */
    static Outcome runOne(Setup setup, Check check, boolean strict) {
        long began = System.nanoTime();
        CaseInfo info = check.info();
        if (!setup.starts() && check.needs() != Needs.SOCKETS) {
            return new Outcome(info, Verdict.SKIP, check.needs().whyNotExternal(), Duration.ZERO);
        }
        Finding finding;
        String program = "";
        Trial trial = null;
        try {
            trial = new Trial(setup, info, serverPort(setup));
            Trial running = trial;
            FutureTask<Finding> steps = new FutureTask<>(() -> check.step().run(running));
            Thread thread = new Thread(steps, info.id());
            thread.setDaemon(true);
            thread.start();
            finding = steps.get(setup.timeLimit().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            finding = Finding.fail("the case ran past its time limit of " + setup.timeLimit().toMillis()
                    + " ms and was stopped");
        } catch (ExecutionException e) {
            finding = e.getCause() instanceof Finding.Stop stop ? stop.finding
                    : Finding.fail("the checker could not finish this case: " + e.getCause());
        } catch (IOException e) {
            finding = Finding.fail("the checker found no free port: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finding = Finding.fail("interrupted");
        } finally {
            if (trial != null) {
                program = trial.programEvidence();
                trial.close();
            }
        }
        Verdict verdict = switch (finding.status()) {
            case PASSED -> Verdict.PASS;
            case SKIPPED -> Verdict.SKIP;
            case FAILED -> info.kind() == Kind.REQUIRED || strict ? Verdict.FAIL : Verdict.WARN;
        };
        String evidence = finding.evidence();
        if (verdict != Verdict.PASS && verdict != Verdict.SKIP && !program.isEmpty()) {
            evidence = evidence + "\n" + program;
        }
        return new Outcome(info, verdict, evidence, Duration.ofNanos(System.nanoTime() - began));
    }

    /**
     * The port a server's program is told: a free one, found by binding port 0 and letting it go, when
     * the command line has {@code {port}}; else the one given. A client's case binds its own (0 here).
     */
    private static int serverPort(Setup setup) throws IOException {
        if (!setup.role().isServer()) {
            return 0;
        }
        if (!setup.choosesPorts()) {
            return setup.port();
        }
        if (setup.role() == Role.TCP_SERVER) {
            try (ServerSocket free = new ServerSocket(0)) {
                return free.getLocalPort();
            }
        }
        try (DatagramSocket free = new DatagramSocket(0)) {
            return free.getLocalPort();
        }
    }
}
