package lab.sockets.check;

import java.util.Locale;

/** How a case went. WARN is a failed robust case without {@code --strict}; SKIP says why it could not run. */
public enum Verdict {
    PASS, FAIL, WARN, SKIP;

    /** As written in reports: {@code pass}, {@code fail}, {@code warn}, {@code skip}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
