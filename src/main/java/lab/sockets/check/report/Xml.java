package lab.sockets.check.report;

/**
 * Escaping for the XML and HTML reports. Everything in a report may come from a student's program (its
 * output, its directory's name), so every string goes through here: markup characters become entities, and
 * characters XML 1.0 forbids (most control characters, lone surrogates) are written as {@code \\uXXXX} text.
 */
final class Xml {
    private Xml() {}

    /** Text between tags: {@code <} {@code >} {@code &} as entities. */
    static String text(String value) {
        return escape(value, false);
    }

    /** An attribute's value in double quotes: quotes and line breaks too, so they survive as written. */
    static String attribute(String value) {
        return escape(value, true);
    }

    private static String escape(String value, boolean attribute) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\'' -> out.append(attribute ? "&#39;" : "'");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
