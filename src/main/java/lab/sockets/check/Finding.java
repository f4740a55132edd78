package lab.sockets.check;

/**
 * What one case found, before the runner turns it into a {@link Verdict} (a failed robust case is a
 * warning unless {@code --strict}).
 *
 * @param evidence for a failure: expected, came, after how long, a hint; for a skip: why; for a pass, a note or empty
 */
record Finding(Status status, String evidence) {
    enum Status { PASSED, FAILED, SKIPPED }

    static Finding pass(String note) {
        return new Finding(Status.PASSED, note);
    }

    static Finding skip(String why) {
        return new Finding(Status.SKIPPED, why);
    }

    static Finding fail(String evidence) {
        return new Finding(Status.FAILED, evidence);
    }

    /**
     * Ends a case at once, from deep inside a step: with a failure (a server that never started, a refused
     * connection), or with a skip (nothing to try).
     */
    static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Finding finding;

        Stop(Finding finding) {
            super(finding.evidence(), null, false, false);
            this.finding = finding;
        }
    }
}
