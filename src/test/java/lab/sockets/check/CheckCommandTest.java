package lab.sockets.check;

import lab.sockets.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sockets check} as users run it: the real jar, its output and its exit status. */
class CheckCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    @Timeout(30)
    void listPrintsTheWholeCatalogueAndRunsNothing() throws Exception {
        try (JarProcess check = JarProcess.start("check", "--list")) {
            assertEquals(0, check.exitCode(WAIT));
            for (Check c : Catalogue.all()) {
                assertTrue(check.stdout().contains(c.info().id()), c.info().id());
                assertTrue(check.stdout().contains(c.info().slide()), c.info().slide());
            }
            assertTrue(check.stdout().contains("required") && check.stdout().contains("robust"));
        }
    }

    @Test
    @Timeout(30)
    void anUnknownCaseIsAUsageErrorThatListsTheValidOnes() throws Exception {
        try (JarProcess check = JarProcess.start("check", "udp-server", "--run", "true", "--case", "udp-server/nope")) {
            assertEquals(2, check.exitCode(WAIT));
            assertTrue(check.stderr().contains("unknown case 'udp-server/nope' for udp-server: one of udp-server/reply,"),
                    check.stderr());
        }
    }

    @Test
    @Timeout(30)
    void badUsageExits2() throws Exception {
        List<String[]> usages = List.of(
                new String[] {"check"},
                new String[] {"check", "tcp-sever", "--run", "true"},
                new String[] {"check", "tcp-client", "--host", "localhost", "--port", "65432"},
                new String[] {"check", "tcp-server"},
                new String[] {"check", "tcp-server", "--run", "python3 {dir}/tcp_server.py"},
                new String[] {"check", "udp-server", "--run", "true", "--time-limit", "soon"});
        for (String[] args : usages) {
            try (JarProcess check = JarProcess.start(args)) {
                assertEquals(2, check.exitCode(WAIT), String.join(" ", args) + "\n" + check.stderr());
            }
        }
    }

    @Test
    @Timeout(60)
    void jsonHasOneObjectPerCaseThenASummaryAndExit0WhenTheRequiredCasesPass() throws Exception {
        try (JarProcess check = JarProcess.start("check", "udp-server", "--run", Programs.slides(Role.UDP_SERVER),
                "--case", "udp-server/reply", "--case", "udp-server/loop-dos", "--json", "--time-limit", "5s")) {
            assertEquals(0, check.exitCode(WAIT), check.stderr());
            String[] lines = check.stdout().split("\n");
            assertEquals(3, lines.length, check.stdout());
            assertTrue(lines[0].startsWith("{\"event\":\"case\",\"role\":\"udp-server\",\"case\":\"udp-server/reply\","
                    + "\"class\":\"required\",\"verdict\":\"pass\""), lines[0]);
            assertTrue(lines[1].contains("\"verdict\":\"warn\"") && lines[1].contains("CVE-2024-2169"), lines[1]);
            assertTrue(lines[1].contains("\"millis\":"), lines[1]);
            assertTrue(lines[2].startsWith("{\"event\":\"summary\",\"role\":\"udp-server\"") && lines[2].contains(
                    "\"score\":1,\"max\":2,\"required_passed\":1,\"required\":1,\"robust_passed\":0,\"robust\":1"), lines[2]);
        }
    }

    @Test
    @Timeout(60)
    void strictCountsARobustFailureAndTheTextReportShowsTheEvidence() throws Exception {
        try (JarProcess check = JarProcess.start("check", "udp-server", "--run", Programs.slides(Role.UDP_SERVER),
                "--case", "udp-server/loop-dos", "--strict", "--time-limit", "5s")) {
            assertEquals(1, check.exitCode(WAIT), check.stderr());
            String out = check.stdout();
            assertTrue(out.contains("fail  udp-server/loop-dos"), out);
            assertTrue(out.contains("        expected: no reply to a datagram that is itself b'data received'"), out);
            assertTrue(out.contains("        came:     b'data received' (13 bytes) from 127.0.0.1:"), out);
            assertTrue(out.contains("        stdout:   received message: b'data received'"), out);
            assertTrue(out.contains("score: 0/1  required 0/0  robust 0/1"), out);
        }
    }

    @Test
    @Timeout(60)
    void aFailedRequiredCaseExits1() throws Exception {
        String broken = Programs.python(Role.UDP_SERVER, Paths.get("src/test/resources/check/broken/udp-server/capital-reply.py"));
        try (JarProcess check = JarProcess.start("check", "udp-server", "--run", broken, "--case", "udp-server/reply",
                "--time-limit", "5s")) {
            assertEquals(1, check.exitCode(WAIT), check.stderr());
            assertTrue(check.stdout().contains("        came:     b'Data received' (13 bytes)"), check.stdout());
            assertTrue(check.stdout().contains("all lower case"), check.stdout());
        }
    }

    @Test
    @Timeout(60)
    void withADirectoryAndNoRunTheSlidesFileInItIsChecked(@TempDir Path bob) throws Exception {
        Files.copy(Paths.get("src/test/resources/check/broken/tcp-server/prompt-no-newline.py"),
                bob.resolve("tcp_server.py"));
        // what a TA types for one role: sockets check tcp-server submissions/bob/
        try (JarProcess check = JarProcess.start("check", "tcp-server", "--case", "tcp-server/prompt",
                "--time-limit", "5s", bob.toString())) {
            assertEquals(1, check.exitCode(WAIT), check.stderr());
            String out = check.stdout();
            assertTrue(out.contains("python3 '" + bob.toAbsolutePath() + "'/tcp_server.py"), out);
            assertTrue(out.contains("your prompt has no \\n"), out);
        }
    }

    @Test
    @Timeout(60)
    void aSubmissionDirectoryIsWhereTheProgramRunsAndWhatDirStandsFor(@TempDir Path alice) throws Exception {
        Files.copy(Paths.get("src/test/resources/check/broken/tcp-server/prompt-no-newline.py"),
                alice.resolve("tcp_server.py"));
        try (JarProcess check = JarProcess.start("check", "tcp-server", "--run",
                Programs.python() + " tcp_server.py '' {port} # in {dir}", "--case", "tcp-server/prompt",
                "--time-limit", "5s", alice.toString())) {
            assertEquals(1, check.exitCode(WAIT), check.stderr());
            String out = check.stdout();
            assertTrue(out.startsWith("tcp-server: " + alice + "\n"), out);
            assertTrue(out.contains("came:     b\"What's your student ID?\" (23 bytes)"), out);
            assertTrue(out.contains("your prompt has no \\n"), out);
            assertTrue(out.contains("# in '" + alice.toAbsolutePath() + "'"), out);
        }
    }

    @Test
    @Timeout(60)
    void aServerAlreadyRunningIsCheckedAndWhatNeedsARestartIsSkipped() throws Exception {
        try (JarProcess server = JarProcess.command(List.of(Programs.python(),
                Paths.get("scripts/python/udp_server.py").toString(), "", "0"))) {
            int port = server.awaitPort(WAIT);
            try (JarProcess check = JarProcess.start("check", "udp-server", "--host", "127.0.0.1",
                    "--port", String.valueOf(port), "--time-limit", "5s")) {
                assertEquals(0, check.exitCode(WAIT), check.stderr());
                String out = check.stdout();
                assertTrue(out.contains("pass  udp-server/reply "), out);
                assertTrue(out.contains("skip  udp-server/empty"), out);
                assertTrue(out.contains("may stop the server, and the checker cannot restart a server it did not start"), out);
            }
        }
    }
}
