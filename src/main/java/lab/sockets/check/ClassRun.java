package lab.sockets.check;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A whole class: several submission directories (and, with {@code sockets check all}, several roles of each)
 * checked by one command.
 * <p>
 * Where Linux allows it, each submission is checked in a {@link Namespace} of its own, {@code jobs} of them
 * at a time: most of a case is waiting, and programs that all bind the slides' port cannot meet there.
 * Elsewhere they are checked one at a time in this process, and every report says so. Either way each case
 * is bounded by the time limit, each program is killed with all it started when its case ends, and
 * progress goes to {@code progress} (stderr), a line a second.
 */
final class ClassRun {
    private ClassRun() {}

    /** The default {@code --jobs}: four per core, since a case mostly waits on the program. */
    static int defaultJobs() {
        return Runtime.getRuntime().availableProcessors() * 4;
    }

    /** Checks every submission with the cases of its role among {@code checks}; one report each, in the order given. */
    static List<SubmissionReport> runAll(List<Setup> submissions, List<Check> checks, boolean strict, int jobs,
                                         PrintWriter progress) {
        return runAll(submissions, checks, strict, jobs, progress, Namespace.unavailable());
    }

    /** As above; {@code unavailable} says why there are no namespaces, or is {@code null} when there are. */
    static List<SubmissionReport> runAll(List<Setup> submissions, List<Check> checks, boolean strict, int jobs,
                                         PrintWriter progress, String unavailable) {
        int threads = unavailable == null ? Math.max(1, Math.min(jobs, submissions.size())) : 1;
        Progress shown = Progress.start(submissions.size(), progress);
        List<Process> running = new ArrayList<>();
        Thread cleanup = new Thread(() -> stopAll(running), "class run cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);   // a checker stopped with Ctrl-C leaves no namespace behind
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "class run");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<SubmissionReport>> reports = new ArrayList<>();
            for (Setup submission : submissions) {
                List<Check> cases = casesOf(submission.role(), checks);
                reports.add(pool.submit(() -> {
                    SubmissionReport report = unavailable == null
                            ? IsolatedCheck.run(submission, cases, strict, running)
                            : alone(CaseRunner.run(submission, cases, strict), unavailable);
                    shown.done(report.passed());
                    return report;
                }));
            }
            List<SubmissionReport> done = new ArrayList<>();
            for (Future<SubmissionReport> report : reports) {
                done.add(report.get());
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());   // each submission's failures are in its report: a bug
        } finally {
            pool.shutdownNow();
            stopAll(running);
            shown.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it does the same
            }
        }
    }

    /** The cases of {@code role} among {@code checks} ({@code sockets check all} gives every role's). */
    static List<Check> casesOf(Role role, List<Check> checks) {
        List<Check> cases = new ArrayList<>();
        for (Check check : checks) {
            if (check.info().role() == role) {
                cases.add(check);
            }
        }
        return cases;
    }

    /** A report from a run without namespaces, its note saying why. */
    private static SubmissionReport alone(SubmissionReport report, String why) {
        String note = "one submission at a time, in this machine's own network: " + why;
        return new SubmissionReport(report.submission(), report.outcomes(),
                report.note().isEmpty() ? note : note + "; " + report.note());
    }

    private static void stopAll(List<Process> running) {
        synchronized (running) {
            for (Process process : running) {
                IsolatedCheck.stop(process);
            }
        }
    }
}
