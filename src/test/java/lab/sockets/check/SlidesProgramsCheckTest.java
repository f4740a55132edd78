package lab.sockets.check;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The slides' four programs ({@code scripts/python/}) pass every required case, and fail exactly the robust
 * cases that name their real weaknesses (one {@code recv}, one client at a time, no timeout, the Loop-DoS
 * reply), each with a hint.
 */
class SlidesProgramsCheckTest {
    private static final Map<Role, Set<String>> WEAKNESSES = Map.of(
            Role.TCP_SERVER, Set.of("tcp-server/concurrent", "tcp-server/split-id", "tcp-server/reset",
                    "tcp-server/invalid-utf8"),
            Role.TCP_CLIENT, Set.of("tcp-client/silent-server", "tcp-client/split-prompt"),
            Role.UDP_SERVER, Set.of("udp-server/loop-dos"),
            Role.UDP_CLIENT, Set.of("udp-client/no-reply", "udp-client/retries"));

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(120)
    void passesEveryRequiredCaseAndFailsTheRobustOnesItsWeaknessesName(Role role) {
        SubmissionReport report = Programs.check(role, Programs.slides(role), Programs.PYTHON_LIMIT, Catalogue.of(role));
        Set<String> failed = new TreeSet<>();
        for (Outcome outcome : report.outcomes()) {
            if (outcome.verdict() == Verdict.FAIL || outcome.verdict() == Verdict.WARN) {
                failed.add(outcome.info().id());
                assertEquals(Kind.ROBUST, outcome.info().kind(), Programs.verdicts(report));
                assertTrue(outcome.evidence().contains("hint:"), outcome.evidence());
                assertTrue(outcome.evidence().contains("program:"), outcome.evidence());
            }
        }
        assertEquals(new TreeSet<>(WEAKNESSES.get(role)), failed, Programs.verdicts(report));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @Timeout(60)
    void withoutStrictTheWeaknessesAreWarningsAndTheProgramPasses(Role role) {
        List<Check> weak = WEAKNESSES.get(role).stream().sorted().limit(1).map(id -> Catalogue.find(Catalogue.of(role), id))
                .toList();
        SubmissionReport report = CaseRunner.run(Programs.setup(role, Programs.slides(role), Programs.PYTHON_LIMIT),
                weak, false);
        assertEquals(Verdict.WARN, report.outcomes().get(0).verdict(), Programs.verdicts(report));
        assertTrue(report.passed());
    }
}
