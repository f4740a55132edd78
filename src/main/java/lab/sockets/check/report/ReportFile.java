package lab.sockets.check.report;

import lab.sockets.check.SubmissionReport;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A report file ({@code --junit}, {@code --gradescope}, {@code --html}, {@code --csv}): written whole, in
 * UTF-8, by one of the formats, replacing what the file held. Each format only writes text to a
 * {@link Writer}, so a test can read it from a {@code StringWriter}.
 */
public final class ReportFile {
    private ReportFile() {}

    /** What a format does: {@link JunitReport#write}, {@link GradescopeReport#write}, ... */
    @FunctionalInterface
    public interface Format {
        void write(List<SubmissionReport> reports, Writer out) throws IOException;
    }

    public static void write(Path file, List<SubmissionReport> reports, Format format) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, UTF_8)) {
            format.write(reports, out);
        }
    }
}
