package lab.sockets.check.report;

import lab.sockets.check.CaseInfo;
import lab.sockets.check.Kind;
import lab.sockets.check.Outcome;
import lab.sockets.check.Role;
import lab.sockets.check.SubmissionReport;
import lab.sockets.check.Verdict;

import java.time.Duration;
import java.util.List;

/** A small class for the report tests: three submissions, one of them hostile in every string it controls. */
final class Sample {
    private Sample() {}

    static final String SCRIPT = "<script>alert(1)</script>";
    static final String HOSTILE_DIR = "=HYPERLINK(\"http://x\",\"a,b\")";

    static final CaseInfo PROMPT = new CaseInfo("tcp-server/prompt", Role.TCP_SERVER, Kind.REQUIRED,
            "sends exactly the 24 bytes What's your student ID?\\n", "client.send(b\"What's your student ID?\\n\")");
    static final CaseInfo CONCURRENT = new CaseInfo("tcp-server/concurrent", Role.TCP_SERVER, Kind.ROBUST,
            "serves a client while another one sits silent", "s.accept()");
    static final CaseInfo REPLY = new CaseInfo("udp-server/reply", Role.UDP_SERVER, Kind.REQUIRED,
            "answers data received to the sender", "sock.sendto(b'data received', addr)");
    static final CaseInfo ALL_INTERFACES = new CaseInfo("udp-server/all-interfaces", Role.UDP_SERVER, Kind.REQUIRED,
            "is reachable on an address other than 127.0.0.1", "sock.bind((UDP_IP, UDP_PORT))");

    /** alice passes all; bob fails the prompt (his program printed a script tag) and warns; the third skips one. */
    static List<SubmissionReport> reports() {
        return List.of(
                new SubmissionReport("submissions/alice", List.of(
                        outcome(PROMPT, Verdict.PASS, "prompt after 3 ms"),
                        outcome(CONCURRENT, Verdict.PASS, "")), "in a network namespace of its own"),
                new SubmissionReport("submissions/alice", List.of(
                        outcome(REPLY, Verdict.PASS, ""),
                        outcome(ALL_INTERFACES, Verdict.PASS, "")), "in a network namespace of its own"),
                new SubmissionReport("submissions/bob & co", List.of(
                        outcome(PROMPT, Verdict.FAIL, "expected: b\"What's your student ID?\\n\"\ncame:     nothing\n"
                                + "stdout:   " + SCRIPT + " & \u0007 bell \"quoted\" 'single'"),
                        outcome(CONCURRENT, Verdict.WARN, "came:     nothing in 3000 ms")), ""),
                new SubmissionReport(HOSTILE_DIR, List.of(
                        outcome(REPLY, Verdict.FAIL, "came: b'Data received'"),
                        outcome(ALL_INTERFACES, Verdict.SKIP, "this machine has no address other than 127.0.0.1")), ""));
    }

    static Outcome outcome(CaseInfo info, Verdict verdict, String evidence) {
        return new Outcome(info, verdict, evidence, Duration.ofMillis(1234));
    }
}
