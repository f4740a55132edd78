package lab.sockets.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The class run's parts that need no program: reading a submission's JSON back, its limits, its progress line. */
@Timeout(30)
class ClassRunPartsTest {
    private static final Setup ALICE = new Setup(Role.TCP_SERVER, "python3 {dir}/tcp_server.py", null, 65432,
            Paths.get("submissions/alice"), Duration.ofSeconds(10));

    @Test
    void jsonLinesAreReadBackAsWritten() {
        Map<String, Object> fields = JsonLine.parse(
                "{\"event\":\"case\",\"evidence\":\"came: \\\"x\\\"\\n\\u0007 <b>\",\"millis\":12,\"passed\":true,\"note\":null}");
        assertEquals("case", fields.get("event"));
        assertEquals("came: \"x\"\n\u0007 <b>", fields.get("evidence"));
        assertEquals(12L, fields.get("millis"));
        assertEquals(Boolean.TRUE, fields.get("passed"));
        assertTrue(fields.containsKey("note"));
        assertNull(JsonLine.parse("Traceback (most recent call last):"));
        assertNull(JsonLine.parse("{\"a\":1} trailing"));
        assertNull(JsonLine.parse("{\"a\":\"unterminated"));
    }

    @Test
    void aSubmissionsReportIsItsCheckersJsonLines() {
        List<Check> checks = Catalogue.of(Role.TCP_SERVER);
        List<Outcome> outcomes = new java.util.ArrayList<>();
        for (Check check : checks) {
            outcomes.add(new Outcome(check.info(), Verdict.PASS, "", Duration.ofMillis(7)));
        }
        java.io.StringWriter json = new java.io.StringWriter();
        JsonReport.write(List.of(new SubmissionReport("/abs/alice", outcomes, "cases one at a time")),
                new java.io.PrintWriter(json));
        SubmissionReport report = IsolatedCheck.read(ALICE, checks, false, json.toString(), "in a namespace", "unused");
        assertEquals("submissions/alice", report.submission(), "named as the command line named it");
        assertEquals(checks.size(), report.score());
        assertEquals(Duration.ofMillis(7), report.outcomes().get(0).took());
        assertEquals("in a namespace; cases one at a time", report.note());
    }

    @Test
    void casesNotReportedFailWithTheReason() {
        List<Check> checks = Catalogue.of(Role.TCP_SERVER);
        SubmissionReport report = IsolatedCheck.read(ALICE, checks, false, "garbage\n", "in a namespace",
                "the submission ran past its limit");
        assertEquals(checks.size(), report.outcomes().size());
        for (Outcome outcome : report.outcomes()) {
            Verdict expected = outcome.info().kind() == Kind.REQUIRED ? Verdict.FAIL : Verdict.WARN;
            assertEquals(expected, outcome.verdict(), outcome.info().id());
            assertEquals("the case was not reported: the submission ran past its limit", outcome.evidence());
        }
        SubmissionReport strict = IsolatedCheck.read(ALICE, checks, true, "", "", "stopped");
        assertEquals(0, strict.maxScore() - strict.notPassed().size());
        assertTrue(strict.outcomes().stream().allMatch(outcome -> outcome.verdict() == Verdict.FAIL));
    }

    @Test
    void aSubmissionsLimitIsItsCasesLimitsAndAMargin() {
        assertEquals(Duration.ofSeconds(13 * 15 + 30), IsolatedCheck.limit(ALICE, 13));
    }

    @Test
    void progressSaysWhatIsDoneFailingAndLeft() {
        Progress progress = Progress.start(4, null);
        assertEquals("check: 0/4 submissions done, 0 failing, time left unknown yet", progress.line(0));
        progress.done(true);
        progress.done(false);
        assertEquals("check: 2/4 submissions done, 1 failing, about 1m 10s left",
                progress.line(TimeUnit.SECONDS.toNanos(70)));
        progress.done(true);
        progress.done(true);
        assertEquals("check: 4/4 submissions done, 1 failing, done in 9s", progress.line(TimeUnit.SECONDS.toNanos(9)));
    }

    /** Without namespaces: one submission after the other, in this process, and every report says why. */
    @Test
    @Timeout(120)
    void withoutNamespacesSubmissionsRunOneAtATimeAndSaySo() {
        List<Check> accepts = List.of(Catalogue.find(Catalogue.of(Role.TCP_SERVER), "tcp-server/accepts"));
        List<Setup> submissions = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            submissions.add(new Setup(Role.TCP_SERVER, "python3 scripts/python/tcp_server.py '' {port}", null, 65432,
                    null, Duration.ofSeconds(10)));
        }
        java.io.StringWriter progress = new java.io.StringWriter();
        List<SubmissionReport> reports = ClassRun.runAll(submissions, accepts, false, 8,
                new java.io.PrintWriter(progress), "a test says so");
        assertEquals(2, reports.size());
        for (SubmissionReport report : reports) {
            assertEquals(1, report.score(), report.outcomes().toString());
            assertTrue(report.note().startsWith("one submission at a time, in this machine's own network: a test says so"),
                    report.note());
        }
        assertTrue(progress.toString().contains("check: 2/2 submissions done, 0 failing, done in"), progress.toString());
    }

    @Test
    void allRolesCasesAreSplitByRole() {
        List<Check> every = Catalogue.all();
        int total = 0;
        for (Role role : Role.values()) {
            List<Check> cases = ClassRun.casesOf(role, every);
            assertEquals(Catalogue.of(role), cases);
            total += cases.size();
        }
        assertEquals(every.size(), total);
        assertEquals("udp_client.py", Role.UDP_CLIENT.slidesFile());
    }
}
