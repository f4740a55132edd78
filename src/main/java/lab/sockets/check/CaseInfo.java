package lab.sockets.check;

/**
 * One entry of the catalogue, as {@code --list} prints it and every report names it.
 *
 * @param id    stable, {@code role/name}: {@code tcp-server/prompt}
 * @param title one line: what a correct program does
 * @param slide the slides' line the case checks, e.g. {@code client.send(b"What's your student ID?\n")}
 */
public record CaseInfo(String id, Role role, Kind kind, String title, String slide) {}
