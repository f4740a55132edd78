package lab.sockets.check;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back one line of {@code --json} output: a flat object whose values are strings, whole numbers,
 * booleans or null (what {@link JsonReport} writes). The class run reads each submission's report this way
 * from the checker it started in the submission's namespace.
 */
final class JsonLine {
    private final String text;
    private int at;

    private JsonLine(String text) {
        this.text = text;
    }

    /** The object on {@code line}, field by field in order; {@code null} if the line is not such an object. */
    static Map<String, Object> parse(String line) {
        try {
            return new JsonLine(line.strip()).object();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> fields = new LinkedHashMap<>();
        expect('{');
        if (peek() == '}') {
            at++;
        } else {
            do {
                String name = string();
                expect(':');
                fields.put(name, value());
            } while (next() == ',');
            at--;
            expect('}');
        }
        if (at != text.length()) {
            throw new IllegalArgumentException("text after the object");
        }
        return fields;
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (text.startsWith("true", at) || text.startsWith("null", at)) {
            at += 4;
            return c == 't' ? Boolean.TRUE : null;
        }
        if (text.startsWith("false", at)) {
            at += 5;
            return Boolean.FALSE;
        }
        int start = at;
        if (c == '-') {
            at++;
        }
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            at++;
        }
        return Long.parseLong(text.substring(start, at));
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        for (char c; (c = next()) != '"'; ) {
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'u' -> {
                    value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                case '"', '\\', '/' -> value.append(escaped);
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
        return value.toString();
    }

    private char peek() {
        return text.charAt(at);
    }

    private char next() {
        return text.charAt(at++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }
}
