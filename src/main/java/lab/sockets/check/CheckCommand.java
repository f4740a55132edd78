package lab.sockets.check;

import lab.sockets.Command;
import lab.sockets.Protocol;

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
 * </pre>
 * Exit status: 0 when every required case passes (every case with {@code --strict}), 1 otherwise, 2 bad usage.
 */
public final class CheckCommand extends Command {
    /** Long enough that the slides' programs never hit it, short enough that a hung program costs little. */
    static final String DEFAULT_TIME_LIMIT = "10s";

    public CheckCommand() {
        super("check", "Check a student's own program (tcp-server, tcp-client, udp-server or udp-client) against"
                + " the lab's catalogue of cases, and show the evidence for every case it fails.");
    }

    private final Value<List<String>> role = positionals("0", "0..1", "ROLE",
            "tcp-server, tcp-client, udp-server or udp-client.");
    private final Value<List<String>> dirs = positionals("1..*", "0..*", "DIR",
            "Submission directories: {dir} in CMD is each one (several: a class run).");
    private final Value<String> run = option("--run", "CMD", String.class, null,
            "The program's command line, run with sh -c for each case; {port} is the port under test"
                    + " (without it: the slides' port), {dir} the submission directory.");
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
    // Reserved for the class run's report files: --junit FILE, --gradescope FILE, --html FILE, --csv FILE,
    // and --jobs N. Each report option adds its writer to the Reports in call().

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Role checked = role();
        if (list.get()) {
            TextReport.catalogue(checked == null ? Catalogue.all() : Catalogue.of(checked), out);
            return 0;
        }
        check(checked != null, "say which program to check: sockets check ROLE, with ROLE one of " + roles());
        List<Check> selected = selected(checked);
        List<Setup> submissions = submissions(checked);

        List<SubmissionReport> results = submissions.size() > 1
                ? ClassRun.runAll(submissions, selected, strict.get())
                : List.of(CaseRunner.run(submissions.get(0), selected, strict.get()));

        Reports reports = new Reports(out, json.get());
        reports.write(results);
        for (SubmissionReport result : results) {
            if (!result.passed()) {
                return 1;
            }
        }
        return 0;
    }

    private Role role() {
        if (role.get().isEmpty()) {
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
    private List<Check> selected(Role checked) {
        List<Check> all = Catalogue.of(checked);
        if (cases.get() == null || cases.get().isEmpty()) {
            return all;
        }
        List<Check> chosen = new ArrayList<>();
        for (String id : cases.get()) {
            Check found = Catalogue.find(all, id);
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
        String command = run.get();
        check(port.get() == null || (port.get() >= 1 && port.get() <= 65535), "--port must be 1 to 65535");
        int portUnderTest = port.get() == null ? checked.slidesPort() : port.get();
        if (command == null) {
            check(checked.isServer(), "a " + checked.label() + " is started by the checker: give --run CMD");
            check(host.get() != null && port.get() != null,
                    "say what to check: --run CMD (the checker starts the program), or --host HOST --port PORT"
                            + " (a server already running)");
            check(dirs.get().isEmpty(), "submission directories need --run CMD, to start each one's program");
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
