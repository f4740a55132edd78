package lab.sockets.check;

import lab.sockets.Command;
import lab.sockets.Failure;
import lab.sockets.Protocol;
import lab.sockets.check.report.CsvReport;
import lab.sockets.check.report.GradescopeReport;
import lab.sockets.check.report.HtmlReport;
import lab.sockets.check.report.JunitReport;
import lab.sockets.check.report.ReportFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sockets check ROLE}: runs a student's own program against the catalogue of cases, and says, in the
 * slides' terms, what it does right and wrong.
 * <pre>
 *   sockets check tcp-server --run "python3 tcp_server.py '' {port}"
 *   sockets check udp-client --run "python3 {dir}/udp_client.py 127.0.0.1 {port}" alice/
 *   sockets check tcp-server --host 192.0.2.7 --port 65432       # a server already running
 *   sockets check tcp-server --list
 *   sockets check all submissions/*&#47; --html class.html   # a class: the four programs of every directory
 * </pre>
 * Exit status: 0 when every required case passes (every case with {@code --strict}), 1 otherwise, 2 bad usage.
 */
public final class CheckCommand extends Command {
    /** Long enough that the slides' programs never hit it, short enough that a hung program costs little. */
    static final String DEFAULT_TIME_LIMIT = "10s";
    /** ROLE for a whole class's four programs at once. */
    private static final String ALL = "all";
    /** With submission directories and no --run: each role's program, named as on the slides, in each one. */
    static final String SLIDES_RUN = "python3 {dir}/{file}";

    public CheckCommand() {
        super("check", "Check a student's own program (tcp-server, tcp-client, udp-server or udp-client) against"
                + " the lab's catalogue of cases, and show the evidence for every case it fails.");
        spec.usageMessage().footer("", "A whole class: give several DIRs; each is checked in a network namespace"
                        + " of its own where Linux allows it.",
                "  sockets check tcp-server --run \"python3 {dir}/tcp_server.py\" submissions/*/",
                "  sockets check all submissions/*/ --html class.html --csv grades.csv");
    }

    private final Value<List<String>> role = positionals("0", "0..1", "ROLE",
            "tcp-server, tcp-client, udp-server or udp-client; or all: the four, in each DIR, with the slides'"
                    + " file names.");
    private final Value<List<String>> dirs = positionals("1..*", "0..*", "DIR",
            "Submission directories: {dir} in CMD is each one (several: a class run).");
    private final Value<String> run = option("--run", "CMD", String.class, null,
            "The program's command line, run with sh -c for each case; {port} is the port under test"
                    + " (without it: the slides' port), {dir} the submission directory, {file} the slides' file"
                    + " name for the role (tcp_server.py, tcp_client.py, udp_server.py, udp_client.py)."
                    + " Default with DIRs: " + SLIDES_RUN + ".");
    private final Value<String> host = option("--host", "HOST", String.class, null,
            "Check a server already running on HOST (with --port) instead of starting one.");
    private final Value<Integer> port = option("--port", "PORT", Integer.class, null,
            "The port under test when CMD has no {port}, or the running server's (default: the slides' 65432 TCP,"
                    + " 5005 UDP).");
    private final Value<List<String>> cases = repeatable("--case", "ID",
            "Run only this case (repeatable); --list shows the IDs.");
    private final Value<Boolean> list = flag("--list", "Print the catalogue of cases (ID, class, title, slide) and exit.");
    private final Value<Boolean> strict = flag("--strict", "Count a failed robust case as a failure, not a warning.");
    private final Value<Boolean> json = flag("--json", "One JSON object per case, then a summary, one per line.");
    private final Value<Duration> timeLimit = duration("--time-limit", DEFAULT_TIME_LIMIT,
            "The longest one case may take, the program's start included.");
    private final Value<Integer> jobs = option("--jobs", "N", Integer.class, null,
            "A class run: submissions checked at once, each in a network namespace of its own (default: 4 per"
                    + " core). Without namespaces (not Linux, or neither root nor user namespaces) one at a time."
                    + " A submission gets at most its cases' time limits added up, plus 5 s a case and 30 s.");
    private final Value<Path> junit = option("--junit", "FILE", Path.class, null,
            "Also write JUnit XML: a testsuite per program, a testcase per case (for CI servers).");
    private final Value<Path> gradescope = option("--gradescope", "FILE", Path.class, null,
            "Also write Gradescope's autograder results.json: a point per case.");
    private final Value<Path> html = option("--html", "FILE", Path.class, null,
            "Also write one self-contained web page: submissions by cases, each cell opening its evidence.");
    private final Value<Path> csv = option("--csv", "FILE", Path.class, null,
            "Also write CSV, a row per submission: directory, score, maximum, the cases not passed.");

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Role checked = role();
        if (list.get()) {
            TextReport.catalogue(checked == null ? Catalogue.all() : Catalogue.of(checked), out);
            return 0;
        }
        boolean all = isAll();
        check(checked != null || all, "say which program to check: sockets check ROLE, with ROLE one of " + roles()
                + " or " + ALL);
        check(jobs.get() == null || jobs.get() >= 1, "--jobs must be 1 or more");
        List<Role> checkedRoles = all ? List.of(Role.values()) : List.of(checked);
        List<Check> selected = new ArrayList<>();
        List<List<Setup>> byRole = new ArrayList<>();
        for (Role each : checkedRoles) {
            selected.addAll(selected(each, all));
            byRole.add(submissions(each));
        }
        check(!selected.isEmpty(), "no case of " + ALL + "'s roles among --case");
        List<Setup> submissions = new ArrayList<>();   // each directory's roles together, as the reports list them
        for (int i = 0; i < byRole.get(0).size(); i++) {
            for (List<Setup> setups : byRole) {
                if (!ClassRun.casesOf(setups.get(i).role(), selected).isEmpty()) {
                    submissions.add(setups.get(i));
                }
            }
        }
        Reports reports = reports(out);

        List<SubmissionReport> results = submissions.size() > 1
                ? ClassRun.runAll(submissions, selected, strict.get(),
                        jobs.get() == null ? ClassRun.defaultJobs() : jobs.get(), spec.commandLine().getErr())
                : List.of(CaseRunner.run(submissions.get(0), ClassRun.casesOf(submissions.get(0).role(), selected),
                        strict.get()));

        reports.write(results);
        for (SubmissionReport result : results) {
            if (!result.passed()) {
                return 1;
            }
        }
        return 0;
    }

    private boolean isAll() {
        return !role.get().isEmpty() && role.get().get(0).equals(ALL);
    }

    /** The console report, and a writer for each report file asked for, each checked writable before the run. */
    private Reports reports(PrintWriter out) {
        Reports reports = new Reports(out, json.get());
        addFile(reports, junit.get(), "--junit", JunitReport::write);
        addFile(reports, gradescope.get(), "--gradescope", GradescopeReport::write);
        addFile(reports, html.get(), "--html", HtmlReport::write);
        addFile(reports, csv.get(), "--csv", CsvReport::write);
        return reports;
    }

    private static void addFile(Reports reports, Path file, String option, ReportFile.Format format) {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new Failure("cannot write " + option + " " + Protocol.escape(file.toString()) + ": no directory "
                    + Protocol.escape(parent.toString()));
        }
        if (Files.isDirectory(file)) {
            throw new Failure("cannot write " + option + " " + Protocol.escape(file.toString()) + ": it is a directory");
        }
        reports.add(list -> ReportFile.write(file, list, format));
    }

    private Role role() {
        if (role.get().isEmpty() || isAll()) {
            return null;
        }
        Role checked = Role.of(role.get().get(0));
        check(checked != null, "unknown role '" + Protocol.escape(role.get().get(0)) + "': one of " + roles());
        return checked;
    }

    private static String roles() {
        StringBuilder names = new StringBuilder();
        for (Role r : Role.values()) {
            names.append(names.length() == 0 ? "" : ", ").append(r.label());
        }
        return names.toString();
    }

    /** The cases to run: all of the role's, or those named by {@code --case}. */
    private List<Check> selected(Role checked, boolean everyRole) {
        List<Check> all = Catalogue.of(checked);
        if (cases.get() == null || cases.get().isEmpty()) {
            return all;
        }
        List<Check> chosen = new ArrayList<>();
        for (String id : cases.get()) {
            Check found = Catalogue.find(all, id);
            if (everyRole) {   // with ROLE all, each --case is one role's
                if (found != null && !chosen.contains(found)) {
                    chosen.add(found);
                }
                check(found != null || Catalogue.find(Catalogue.all(), id) != null, "unknown case '"
                        + Protocol.escape(id) + "': --list shows them");
                continue;
            }
            check(found != null, "unknown case '" + Protocol.escape(id) + "' for " + checked.label() + ": one of "
                    + Catalogue.ids(all));
            if (!chosen.contains(found)) {
                chosen.add(found);
            }
        }
        return chosen;
    }

    /** One setup per submission directory (one with no directory when none is given). */
    private List<Setup> submissions(Role checked) {
        String command = run.get() == null && (isAll() || !dirs.get().isEmpty()) ? SLIDES_RUN : run.get();
        command = command == null ? null : command.replace("{file}", checked.slidesFile());
        check(port.get() == null || (port.get() >= 1 && port.get() <= 65535), "--port must be 1 to 65535");
        int portUnderTest = port.get() == null ? checked.slidesPort() : port.get();
        if (command == null) {
            check(checked.isServer(), "a " + checked.label() + " is started by the checker: give --run CMD");
            check(host.get() != null && port.get() != null,
                    "say what to check: --run CMD (the checker starts the program), or --host HOST --port PORT"
                            + " (a server already running)");
            return List.of(new Setup(checked, null, host.get(), portUnderTest, null, timeLimit.get()));
        }
        check(host.get() == null, "--host is for a server already running; with --run the checker starts the program");
        check(!command.isBlank(), "--run needs a command line");
        check(!timeLimit.get().isZero(), "--time-limit must be more than 0");
        check(dirs.get().size() < 2 || command.contains("{dir}"),
                "several directories, but CMD has no {dir}: every submission would run the same program");
        List<Setup> setups = new ArrayList<>();
        for (String dir : dirs.get()) {
            Path path = Paths.get(dir);
            check(Files.isDirectory(path), "'" + Protocol.escape(dir) + "' is not a directory");
            setups.add(new Setup(checked, command, null, portUnderTest, path, timeLimit.get()));
        }
        if (setups.isEmpty()) {
            check(!command.contains("{dir}"), "CMD has {dir}, but no submission directory was given");
            setups.add(new Setup(checked, command, null, portUnderTest, null, timeLimit.get()));
        }
        return setups;
    }
}
