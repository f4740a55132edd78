package lab.sockets.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole class: several submission directories checked by one command.
 * <p>
 * THE SEAM for the class run: {@link #runAll} is what {@link CheckCommand} calls when it is given more than
 * one directory. For now it checks them one after the other, each with {@link CaseRunner}; the class run
 * (network namespaces, {@code --jobs N}, progress on stderr) replaces its body, keeping its signature.
 */
final class ClassRun {
    private ClassRun() {}

    /** Checks every submission with {@code checks}; one report per submission, in the order given. */
    static List<SubmissionReport> runAll(List<Setup> submissions, List<Check> checks, boolean strict) {
        List<SubmissionReport> reports = new ArrayList<>();
        for (Setup submission : submissions) {
            reports.add(CaseRunner.run(submission, checks, strict));
        }
        return reports;
    }
}
