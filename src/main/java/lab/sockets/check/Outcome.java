package lab.sockets.check;

import java.time.Duration;

/**
 * One case run against one program.
 *
 * @param evidence for anything but a pass: what was expected, what came (escaped as the console escapes
 *                 it), after how long, a hint in the slides' terms, and the program's own output and exit
 *                 status; for a skip, why. May be empty for a pass.
 */
public record Outcome(CaseInfo info, Verdict verdict, String evidence, Duration took) {}
