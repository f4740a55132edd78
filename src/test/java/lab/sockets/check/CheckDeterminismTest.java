package lab.sockets.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same program gets the same verdicts, run after run: the cases wait on what the program does (the socket
 * tables, its output, its exit), never on a guess at how long it takes. The slides' TCP server, 20 times,
 * on the cases whose outcome hangs on timing if anything does: the prompt, the split ID (its first piece is
 * sent only once the server has read it), the reset.
 */
class CheckDeterminismTest {
    private static final int RUNS = 20;

    @Test
    @Timeout(300)
    void theSlidesServerGetsTheSameVerdictsTwentyTimes() {
        List<Check> cases = new ArrayList<>();
        for (String id : List.of("tcp-server/prompt", "tcp-server/no-newline", "tcp-server/split-id", "tcp-server/reset")) {
            cases.add(Catalogue.find(Catalogue.of(Role.TCP_SERVER), id));
        }
        List<Verdict> expected = List.of(Verdict.PASS, Verdict.PASS, Verdict.FAIL, Verdict.FAIL);
        for (int run = 1; run <= RUNS; run++) {
            SubmissionReport report = Programs.check(Role.TCP_SERVER, Programs.slides(Role.TCP_SERVER),
                    Programs.PYTHON_LIMIT, cases);
            List<Verdict> verdicts = report.outcomes().stream().map(Outcome::verdict).toList();
            assertEquals(expected, verdicts, "run " + run + Programs.verdicts(report));
        }
    }
}
