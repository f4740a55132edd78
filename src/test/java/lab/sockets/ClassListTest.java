package lab.sockets;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --expect FILE}: a class list as TAs have it, one ID a line or a spreadsheet's CSV export. */
@Tag("fast")
class ClassListTest {
    @Test
    void aSpreadsheetExportWithAHeaderQuotesAndAByteOrderMarkGivesTheIdsAsTheServerShowsThem(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("class.csv");
        Files.writeString(file, "\uFEFFStudent ID,Name\nb08902001,\"Lin, Mei\"\n\"B08902002\",Chen\n\n# auditing\n"
                + "b08902001,Lin again\n  b08902003  ,Wang\n", UTF_8);
        ClassList list = ClassList.read(file);
        assertEquals(List.of("B08902001", "B08902002", "B08902003"), list.ids());
        assertEquals(List.of("B08902002"), list.missing(Set.of("B08902001", "B08902003", "LOAD-000001")));
        assertTrue(list.contains("B08902003"));
    }

    @Test
    void oneIdALineWithoutHeaderIsTakenAsItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("class.txt");
        Files.writeString(file, "r08942159\nR08942160\n", UTF_8);
        assertEquals(List.of("R08942159", "R08942160"), ClassList.read(file).ids());
    }

    @Test
    void aMissingOrEmptyFileIsOneLineThatSaysWhatToFix(@TempDir Path dir) throws Exception {
        Failure missing = assertThrows(Failure.class, () -> ClassList.read(dir.resolve("nope.csv")));
        assertTrue(missing.getMessage().endsWith("nope.csv: no such file"), missing.getMessage());
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "id\n\n", UTF_8);
        Failure none = assertThrows(Failure.class, () -> ClassList.read(empty));
        assertTrue(none.getMessage().contains("holds no ID"), none.getMessage());
    }
}
