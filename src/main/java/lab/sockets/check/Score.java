package lab.sockets.check;

/**
 * A submission's tally, for the score line and the summaries: cases passed of those that ran, by class.
 * <pre>
 *   score: 11/13  required 6/6  robust 5/7
 * </pre>
 */
record Score(int passed, int ran, int requiredPassed, int required, int robustPassed, int robust, int skipped) {
    static Score of(SubmissionReport report) {
        int passed = 0, ran = 0, requiredPassed = 0, required = 0, robustPassed = 0, robust = 0, skipped = 0;
        for (Outcome outcome : report.outcomes()) {
            if (outcome.verdict() == Verdict.SKIP) {
                skipped++;
                continue;
            }
            int pass = outcome.verdict() == Verdict.PASS ? 1 : 0;
            ran++;
            passed += pass;
            if (outcome.info().kind() == Kind.REQUIRED) {
                required++;
                requiredPassed += pass;
            } else {
                robust++;
                robustPassed += pass;
            }
        }
        return new Score(passed, ran, requiredPassed, required, robustPassed, robust, skipped);
    }

    /** {@code score: 11/13  required 6/6  robust 5/7  (1 skipped)}. */
    String line() {
        return "score: " + passed + "/" + ran + "  required " + requiredPassed + "/" + required + "  robust "
                + robustPassed + "/" + robust + (skipped > 0 ? "  (" + skipped + " skipped)" : "");
    }
}
