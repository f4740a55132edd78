package lab.sockets.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken student programs ({@code src/test/resources/check/broken/ROLE/NAME.py}), each with one fault named in
 * its top comment ({@code # fault: tcp-server/prompt}), fail that case, and no required case they do not
 * deserve: only those the comment names too ({@code # also: ...}, when one fault shows in two cases).
 */
class BrokenProgramsCheckTest {
    private static final Path BROKEN = Paths.get("src/test/resources/check/broken");

    static Stream<Path> programs() throws IOException {
        try (Stream<Path> files = Files.walk(BROKEN)) {
            return files.filter(file -> file.toString().endsWith(".py")).sorted().toList().stream();
        }
    }

    @Test
    @Timeout(10)
    void thereAreAtLeastFourPerRole() throws IOException {
        for (Role role : Role.values()) {
            try (Stream<Path> files = Files.list(BROKEN.resolve(role.label()))) {
                assertTrue(files.count() >= 4, role.label());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    @Timeout(90)
    void failsTheCaseItsFaultNamesAndNoOtherRequiredOne(Path program) throws IOException {
        Role role = Role.of(program.getParent().getFileName().toString());
        assertNotNull(role, program.toString());
        String fault = null;
        Set<String> deserved = new TreeSet<>();
        for (String line : Files.readAllLines(program, UTF_8)) {
            if (line.startsWith("# fault: ")) {
                fault = line.substring("# fault: ".length()).trim();
                deserved.add(fault);
            } else if (line.startsWith("# also: ")) {
                deserved.add(line.substring("# also: ".length()).split(" ")[0]);
            }
        }
        assertNotNull(fault, program + " has no '# fault: ROLE/CASE' line");
        List<Check> cases = new ArrayList<>();
        for (Check check : Catalogue.of(role)) {
            if (check.info().kind() == Kind.REQUIRED || deserved.contains(check.info().id())) {
                cases.add(check);
            }
        }
        assertNotNull(Catalogue.find(cases, fault), "no case " + fault);

        SubmissionReport report = Programs.check(role, Programs.python(role, program), Programs.PYTHON_LIMIT, cases);

        Set<String> failed = new TreeSet<>();
        for (Outcome outcome : report.outcomes()) {
            if (outcome.verdict() == Verdict.FAIL) {
                failed.add(outcome.info().id());
                assertTrue(outcome.evidence().contains("expected:") && outcome.evidence().contains("hint:"),
                        outcome.evidence());
            } else {
                assertNotEquals(Verdict.WARN, outcome.verdict(), "strict: a failure is a FAIL");
            }
        }
        assertTrue(failed.contains(fault), program + " should fail " + fault + Programs.verdicts(report));
        assertEquals(deserved, failed, program + Programs.verdicts(report));
    }
}
