package lab.sockets.check.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each report file, written from the same small class and read back with a real parser. */
@Timeout(30)
class ReportWritersTest {
    @TempDir
    Path dir;

    @Test
    void junitIsXmlWithASuitePerProgramAndACasePerCase() throws Exception {
        Path file = dir.resolve("junit.xml");
        ReportFile.write(file, Sample.reports(), JunitReport::write);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document xml = factory.newDocumentBuilder().parse(file.toFile());

        Element root = xml.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("8", root.getAttribute("tests"));
        assertEquals("3", root.getAttribute("failures"));   // bob's fail and warn, the hostile one's fail
        assertEquals("1", root.getAttribute("skipped"));
        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(4, suites.getLength());
        assertEquals("tcp-server: submissions/alice", ((Element) suites.item(0)).getAttribute("name"));
        assertEquals("udp-server: " + Sample.HOSTILE_DIR, ((Element) suites.item(3)).getAttribute("name"));
        assertEquals("in a network namespace of its own", ((Element) ((Element) suites.item(0))
                .getElementsByTagName("property").item(0)).getAttribute("value"));

        Element bob = (Element) suites.item(2);
        assertEquals("2", bob.getAttribute("failures"));
        NodeList cases = bob.getElementsByTagName("testcase");
        assertEquals("tcp-server/prompt", ((Element) cases.item(0)).getAttribute("name"));
        assertEquals("1.234", ((Element) cases.item(0)).getAttribute("time"));
        Element failure = (Element) ((Element) cases.item(0)).getElementsByTagName("failure").item(0);
        assertEquals("fail", failure.getAttribute("type"));
        assertEquals("expected: b\"What's your student ID?\\n\"", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("stdout:   " + Sample.SCRIPT + " & \\u0007 bell \"quoted\""),
                failure.getTextContent());
        Element warning = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
        assertEquals("warn", warning.getAttribute("type"));

        Element skipped = (Element) ((Element) suites.item(3)).getElementsByTagName("skipped").item(0);
        assertEquals("this machine has no address other than 127.0.0.1", skipped.getAttribute("message"));
        assertEquals(0, ((Element) suites.item(0)).getElementsByTagName("failure").getLength());
    }

    @Test
    @SuppressWarnings("unchecked")
    void gradescopeIsResultsJsonWithAPointPerCase() throws Exception {
        Path file = dir.resolve("results.json");
        ReportFile.write(file, Sample.reports(), GradescopeReport::write);
        Map<String, Object> results = (Map<String, Object>) JsonChecker.parse(Files.readString(file, UTF_8));

        assertEquals(4.0, results.get("score"));       // alice's four passes
        assertEquals(7.0, results.get("max_score"));   // eight cases, one skipped
        List<Map<String, Object>> tests = (List<Map<String, Object>>) results.get("tests");
        assertEquals(8, tests.size());
        Map<String, Object> first = tests.get(0);
        assertEquals("submissions/alice: tcp-server/prompt: " + Sample.PROMPT.title(), first.get("name"));
        assertEquals(1.0, first.get("score"));
        assertEquals(1.0, first.get("max_score"));
        assertEquals("passed", first.get("status"));
        Map<String, Object> bobPrompt = tests.get(4);
        assertEquals("failed", bobPrompt.get("status"));
        assertEquals(0.0, bobPrompt.get("score"));
        assertTrue(((String) bobPrompt.get("output")).contains(Sample.SCRIPT + " & \u0007 bell"));
        Map<String, Object> warned = tests.get(5);
        assertEquals("failed", warned.get("status"));
        assertTrue(((String) warned.get("output")).startsWith("warning"));
        Map<String, Object> skipped = tests.get(7);
        assertEquals(0.0, skipped.get("max_score"));
        assertFalse(skipped.containsKey("status"));
        assertEquals("skipped: this machine has no address other than 127.0.0.1", skipped.get("output"));
        assertEquals("in a network namespace of its own", results.get("output"));
    }

    @Test
    void gradescopeForOneSubmissionNamesTestsByCaseAlone() throws Exception {
        StringWriter out = new StringWriter();
        GradescopeReport.write(Sample.reports().subList(0, 2), out);
        assertTrue(out.toString().contains("\"name\":\"tcp-server/prompt: "), out.toString());
    }

    @Test
    void csvHasARowPerSubmissionQuotedAndNeutralised() throws Exception {
        Path file = dir.resolve("class.csv");
        ReportFile.write(file, Sample.reports(), CsvReport::write);
        String csv = Files.readString(file, UTF_8);
        assertEquals("directory,score,maximum,failed\r\n"
                + "submissions/alice,4,4,\r\n"
                + "submissions/bob & co,0,2,tcp-server/prompt tcp-server/concurrent\r\n"
                + "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\",0,1,udp-server/reply\r\n", csv);
    }

    @Test
    void csvNeutralisesEveryFormulaStart() {
        for (String start : List.of("=", "+", "-", "@", "\t", "\r")) {
            String cell = CsvReport.cell(start + "1+1");
            assertTrue(cell.startsWith("'") || cell.startsWith("\"'"), "not neutralised: " + cell);
        }
        assertEquals("plain", CsvReport.cell("plain"));
        assertEquals("\"a\nb\"", CsvReport.cell("a\nb"));
    }

    @Test
    void htmlEscapesEverythingAndNeedsNothingElse() throws Exception {
        StringWriter out = new StringWriter();
        HtmlReport.write(Sample.reports(), out);
        String page = out.toString();
        assertFalse(page.contains(Sample.SCRIPT), "a program's output must never become markup");
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\u0007 bell"), page);
        assertTrue(page.contains("submissions/bob &amp; co"));
        assertFalse(page.contains("<script"), "the page needs no script");
        for (String external : List.of("src=", "href=", "@import", "url(")) {
            assertFalse(page.contains(external), "the page must load nothing: found " + external);
        }
        assertEquals(3, page.split("<tr><th class=\"sub\">", -1).length - 1, "a row per submission");
    }
}
