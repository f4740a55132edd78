package lab.sockets.check.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report in a real browser: Debian's Chromium, headless, with no network and a profile of its own.
 * What it parsed ({@code --dump-dom}) must hold the matrix, and a program's {@code <script>} only as text.
 * Also saves a screenshot to {@code target/check-report.png}, with one cell opened (the README's picture).
 */
@Timeout(120)
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void theBrowserShowsTheMatrixAndTheEvidenceAsText() throws Exception {
        Path page = dir.resolve("class.html");
        ReportFile.write(page, Sample.reports(), HtmlReport::write);
        String dom = chromium(page, "--dump-dom");

        assertTrue(dom.contains("<table id=\"matrix\">"), dom);
        assertEquals(3, dom.split("<th class=\"sub\">", -1).length - 1, "a row per submission");
        assertEquals(8, dom.split("<details>", -1).length - 1, "a cell per case run");
        assertEquals(2, dom.split("<td class=\"fail\"><details>", -1).length - 1,
                "bob's failed prompt, the hostile one's failed reply");
        // the browser kept the program's script tag as text: escaped again in its serialised DOM, no element
        assertTrue(dom.contains("stdout:   &lt;script&gt;alert(1)&lt;/script&gt; &amp;"), dom);
        assertFalse(dom.contains("<script"), "no script element in the parsed page");
    }

    @Test
    void screenshotForTheReadme() throws Exception {
        Path page = dir.resolve("class.html");
        ReportFile.write(page, Sample.reports(), HtmlReport::write);
        // open bob's failed prompt, as a TA's click would
        String html = Files.readString(page, UTF_8).replaceFirst("<td class=\"fail\"><details>", "<td class=\"fail\"><details open>");
        Files.writeString(page, html, UTF_8);
        Path shot = Paths.get("target", "check-report.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium(page, "--screenshot=" + shot, "--window-size=1000,420");
        assertTrue(Files.size(shot) > 1000, "a screenshot was written");
    }

    /** Runs headless Chromium on {@code page} with {@code options}; its stdout. */
    private String chromium(Path page, String... options) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (Debian's chromium package) to run");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createDirectories(dir.resolve("profile"))));
        command.addAll(List.of(options));
        command.add(page.toUri().toString());
        Path out = dir.resolve("chromium.out");
        Process browser = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(dir.resolve("chromium.err").toFile()).start();
        browser.getOutputStream().close();
        if (!browser.waitFor(60, TimeUnit.SECONDS)) {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            throw new AssertionError("chromium did not finish in 60 s");
        }
        assertEquals(0, browser.exitValue(), () -> "chromium failed: " + read(dir.resolve("chromium.err")));
        return Files.readString(out, UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
