package lab.sockets.check;

/**
 * One case of the catalogue: what it is ({@link CaseInfo}), what it needs, and the steps that run it.
 *
 * @param needs what the case needs of the program beyond its sockets; a server the checker did not start
 *              ({@code --host --port}) has neither, and such cases are skipped with the reason
 */
record Check(CaseInfo info, Needs needs, Step step) {
    enum Needs {
        /** Only the program's sockets. */
        SOCKETS,
        /** What the program prints, or its exit status. */
        OUTPUT,
        /** A fresh start: the case may stop the program. */
        RESTART;

        /** Why a case with this need cannot run against a server the checker did not start. */
        String whyNotExternal() {
            return this == OUTPUT
                    ? "needs the program's own output (what it prints): give --run CMD so the checker starts it"
                    : "may stop the server, and the checker cannot restart a server it did not start: give --run CMD";
        }
    }

    /** The case's steps: what it does to the program, and what it found. */
    @FunctionalInterface
    interface Step {
        Finding run(Trial trial) throws Exception;
    }

    /** The case {@code role/name}: what it is and needs, the steps that run it, then its catalogue prose. */
    static Check of(Role role, String name, Kind kind, Needs needs, Step step, String title, String slide) {
        return new Check(new CaseInfo(role.label() + "/" + name, role, kind, title, slide), needs, step);
    }
}
