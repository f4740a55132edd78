package lab.sockets.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Every case run against one submission (one program, or one directory of a class run).
 *
 * @param submission the directory checked, or the command line when there is none
 * @param note       how it ran, for the reports (e.g. "in its own network namespace"), or empty
 */
public record SubmissionReport(String submission, List<Outcome> outcomes, String note) {
    /** One point per case passed. */
    public int score() {
        int score = 0;
        for (Outcome outcome : outcomes) {
            score += outcome.verdict() == Verdict.PASS ? 1 : 0;
        }
        return score;
    }

    /** One point per case that ran (skipped cases count for nothing either way). */
    public int maxScore() {
        int max = 0;
        for (Outcome outcome : outcomes) {
            max += outcome.verdict() == Verdict.SKIP ? 0 : 1;
        }
        return max;
    }

    /** IDs of the cases that failed or warned. */
    public List<String> notPassed() {
        List<String> ids = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.verdict() == Verdict.FAIL || outcome.verdict() == Verdict.WARN) {
                ids.add(outcome.info().id());
            }
        }
        return ids;
    }

    /** Whether the submission passes: no FAIL (a WARN is a FAIL already when {@code --strict} made it one). */
    public boolean passed() {
        for (Outcome outcome : outcomes) {
            if (outcome.verdict() == Verdict.FAIL) {
                return false;
            }
        }
        return true;
    }
}
