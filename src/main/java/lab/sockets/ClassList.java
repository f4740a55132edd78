package lab.sockets;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The class list a TA expects ({@code --expect FILE}): one ID a line, or a CSV whose first column is the ID,
 * as a spreadsheet exports it. IDs are kept the way the server shows them (upper-cased as the slides do,
 * escaped), so a roster line and a class-list line compare as equal strings. Blank lines, lines starting
 * with {@code #}, and a header row ({@code id}, {@code student id}, ...) are skipped.
 * <pre>
 *   id,name
 *   B08902001,Lin
 *   b08902002,Chen        (matched as B08902002)
 * </pre>
 */
public final class ClassList {
    private final List<String> ids;

    private ClassList(List<String> ids) {
        this.ids = Collections.unmodifiableList(ids);
    }

    /** Reads {@code file}, or fails with one line that says what to fix. */
    public static ClassList read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, UTF_8);
        } catch (NoSuchFileException e) {
            throw new Failure("cannot read the class list " + file + ": no such file");
        } catch (MalformedInputException e) {
            throw new Failure("cannot read the class list " + file + ": it is not UTF-8 text (save it as CSV UTF-8)");
        } catch (IOException e) {
            throw new Failure("cannot read the class list " + file + ": " + e.getMessage());
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String line : lines) {
            String id = firstCell(line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
            if (!id.isEmpty() && !id.startsWith("#") && !(ids.isEmpty() && isHeader(id))) {
                ids.add(shown(id));
            }
        }
        if (ids.isEmpty()) {
            throw new Failure("the class list " + file + " holds no ID: write one ID a line, or a CSV with the ID first");
        }
        return new ClassList(new ArrayList<>(ids));
    }

    /** An ID as the server shows and records it: ASCII letters upper-cased, control bytes escaped. */
    public static String shown(String id) {
        return Protocol.escape(Protocol.upperCaseAscii(Protocol.bytes(id)));
    }

    /** Every expected ID, in the file's order, each once. */
    public List<String> ids() {
        return ids;
    }

    /** The expected IDs not in {@code seen} (IDs as the server shows them), in the file's order. */
    public List<String> missing(Set<String> seen) {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            if (!seen.contains(id)) {
                missing.add(id);
            }
        }
        return missing;
    }

    public boolean contains(String shownId) {
        return ids.contains(shownId);
    }

    private static boolean isHeader(String cell) {
        String c = cell.toLowerCase(Locale.ROOT).replace("_", " ").replace("-", " ");
        return c.equals("id") || c.equals("student id") || c.equals("studentid") || c.equals("student");
    }

    /** The first field of a CSV line (RFC 4180: it may be quoted, with doubled quotes inside). */
    static String firstCell(String line) {
        if (!line.startsWith("\"")) {
            int comma = line.indexOf(',');
            return comma < 0 ? line : line.substring(0, comma);
        }
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    break;
                }
            } else {
                cell.append(c);
            }
        }
        return cell.toString();
    }
}
