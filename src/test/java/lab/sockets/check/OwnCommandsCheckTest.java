package lab.sockets.check;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our own four commands ({@code java -jar sockets.jar tcp-server --port {port}} ...) pass every case, robust ones included. */
class OwnCommandsCheckTest {
    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(180)
    void passesEveryCase(Role role) {
        SubmissionReport report = Programs.check(role, Programs.ours(role), Programs.JAVA_LIMIT, Catalogue.of(role));
        for (Outcome outcome : report.outcomes()) {
            assertTrue(outcome.verdict() == Verdict.PASS || outcome.verdict() == Verdict.SKIP, Programs.verdicts(report));
        }
        assertEquals(report.outcomes().size(), Catalogue.of(role).size());
    }
}
