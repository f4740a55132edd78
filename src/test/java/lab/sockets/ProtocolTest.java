package lab.sockets;

import lab.sockets.Protocol.IdReader;
import lab.sockets.Protocol.IdReader.End;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire contract and its pure functions, without a socket. */
@Tag("fast")
class ProtocolTest {
    @Test
    void constantsAreTheSlidesBytes() {
        assertEquals("What's your student ID?\n", new String(Protocol.PROMPT, UTF_8));
        assertEquals(24, Protocol.PROMPT.length);
        assertEquals("data received", new String(Protocol.UDP_REPLY, UTF_8));
        assertEquals(13, Protocol.UDP_REPLY.length);
        assertEquals(65432, Protocol.DEFAULT_TCP_PORT);
        assertEquals(5005, Protocol.DEFAULT_UDP_PORT);
        assertEquals("ID received: B08902001\n", new String(Protocol.acknowledgement(bytes("B08902001")), UTF_8));
    }

    @Test
    void upperCasesAsciiLettersOnlyAsPythonBytesUpperDoes() {
        assertEquals("B08902001", new String(Protocol.upperCaseAscii(bytes("b08902001")), UTF_8));
        // é (c3 a9) and ı (c4 b1, Turkish dotless i) are left alone by bytes.upper(); so is every non-letter
        assertEquals("éCOLE ıI {}~", new String(Protocol.upperCaseAscii(bytes("école ıi {}~")), UTF_8));
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] upper = Protocol.upperCaseAscii(all);
        for (int i = 0; i < 256; i++) {
            int expected = i >= 'a' && i <= 'z' ? i - 32 : i;
            assertEquals(expected, upper[i] & 0xff, "byte " + i);
        }
    }

    @Test
    void upperCasingIgnoresTheTurkishLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(new Locale("tr", "TR"));
        try {
            assertEquals("i".toUpperCase(), "\u0130", "the JVM really is in Turkish now");
            assertEquals("IIII", new String(Protocol.upperCaseAscii(bytes("iiii")), UTF_8));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void escapesControlsAndInvalidUtf8ButKeepsText() {
        assertEquals("B08902001", escape("B08902001"));
        assertEquals("école 學生 🎓", escape("école 學生 🎓"));
        assertEquals("\\x1b[31mred\\x1b[0m", escape("\u001b[31mred\u001b[0m"));
        assertEquals("a\\x00b\\x07c\\x08d\\x0de\\x0af\\x7f", escape("a\u0000b\u0007c\u0008d\re\nf\u007f"));
        assertEquals("\\xff\\xfe", Protocol.escape(new byte[] {(byte) 0xff, (byte) 0xfe}));
        assertEquals("\\x9b2J", Protocol.escape(new byte[] {(byte) 0x9b, '2', 'J'}), "a lone C1 byte is invalid UTF-8");
        assertEquals("\\u009b2J", escape("\u009b2J"), "C1 CSI encoded as UTF-8");
        assertEquals("abc\\u202etxt.exe", escape("abc\u202etxt.exe"), "right-to-left override");
        assertEquals("a\\u2028b", escape("a\u2028b"), "line separator");
        assertEquals("tag\\U000e0001", escape("tag\uDB40\uDC01"), "an invisible language tag, beyond U+FFFF");
        assertEquals("back\\\\slash", escape("back\\slash"), "a backslash is escaped, so escaping is unambiguous");
        assertEquals("\\xe5\\xad", Protocol.escape(new byte[] {(byte) 0xe5, (byte) 0xad}), "a cut multi-byte char");
        assertEquals("\\xc0\\xaf", Protocol.escape(new byte[] {(byte) 0xc0, (byte) 0xaf}), "overlong '/'");
        assertEquals("\\xed\\xa0\\x80", Protocol.escape(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}),
                "an encoded surrogate");
    }

    @Test
    void idEndsAtTheFirstNewlineWithoutItsLineEnding() {
        IdReader reader = new IdReader();
        assertTrue(feed(reader, "b08902001\r\nmore"));
        assertEquals(End.NEWLINE, reader.end());
        assertEquals("b08902001", new String(reader.id(), UTF_8));
        assertEquals(4, reader.discarded());
    }

    @Test
    void idSplitOverManySegmentsIsReadWhole() {
        IdReader reader = new IdReader();
        for (char c : "b0890".toCharArray()) {
            assertFalse(feed(reader, String.valueOf(c)));
        }
        assertTrue(reader.started());
        assertTrue(feed(reader, "2001\n"));
        assertEquals("b08902001", new String(reader.id(), UTF_8));
    }

    @Test
    void idEndsAtEndOfStreamAsThePythonClientSendsIt() {
        IdReader reader = new IdReader();
        assertFalse(feed(reader, "b08902001"));
        reader.endOfStream();
        assertEquals(End.END_OF_STREAM, reader.end());
        assertEquals("b08902001", new String(reader.id(), UTF_8));
    }

    @Test
    void onlyOneLineEndingIsDroppedAndOnlyBeforeTheNewline() {
        IdReader crlf = new IdReader();
        feed(crlf, "x\r\r\n");
        assertEquals("x\r", new String(crlf.id(), UTF_8));
        IdReader eof = new IdReader();
        feed(eof, "x\r");
        eof.endOfStream();
        assertEquals("x\r", new String(eof.id(), UTF_8));
    }

    @Test
    void idIsCutAtTheSlidesThousandBytes() {
        IdReader reader = new IdReader();
        assertFalse(feed(reader, "a".repeat(999)));
        assertTrue(feed(reader, "bcd\n"));
        assertEquals(End.SIZE_LIMIT, reader.end());
        assertEquals(Protocol.MAX_ID_BYTES, reader.id().length);
        assertEquals(3, reader.discarded());
        assertTrue(feed(reader, "x".repeat(5000)));
        assertEquals(5003, reader.discarded());
    }

    @Test
    void quietPauseEndsAnIdOnlyOnceABytCame() {
        IdReader reader = new IdReader();
        reader.endOnQuietPause();
        assertFalse(reader.complete(), "no byte yet: a student still typing is not cut off");
        feed(reader, "b089");
        reader.endOnQuietPause();
        assertEquals(End.QUIET_PAUSE, reader.end());
        assertEquals("b089", new String(reader.id(), UTF_8));
    }

    @Test
    void emptyLineIsAnEmptyId() {
        IdReader reader = new IdReader();
        assertTrue(feed(reader, "\n"));
        assertArrayEquals(new byte[0], reader.id());
    }

    @Test
    void durationsAsPeopleTypeThem() {
        assertEquals(500, DurationConverter.parse("500ms").toMillis());
        assertEquals(3000, DurationConverter.parse("3s").toMillis());
        assertEquals(120_000, DurationConverter.parse("2m").toMillis());
        assertEquals(60_000, DurationConverter.parse("60").toMillis());
        assertEquals(1500, DurationConverter.parse("1.5").toMillis());
        for (String wrong : new String[] {"", "ms", "-1s", "1e3", "5 minutes", "1..2s", "abc"}) {
            org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.TypeConversionException.class,
                    () -> DurationConverter.parse(wrong), wrong);
        }
    }

    @Test
    void addressesAsPeopleWriteThem() throws Exception {
        assertEquals("fd00::2", Addresses.host(java.net.InetAddress.getByName("fd00:0:0:0:0:0:0:2")));
        assertEquals("::1", Addresses.host(java.net.InetAddress.getByName("::1")));
        assertEquals("fe80::", Addresses.host(java.net.InetAddress.getByName("fe80::")));
        assertEquals("1:0:2::3", Addresses.host(java.net.InetAddress.getByName("1:0:2:0:0:0:0:3")));
        assertEquals("::", Addresses.host(java.net.InetAddress.getByName("::")));
        assertEquals("0.0.0.0", Addresses.host(java.net.InetAddress.getByName("0.0.0.0")));
        assertEquals("[::1]:80", Addresses.format(new java.net.InetSocketAddress("::1", 80)));
    }

    private static boolean feed(IdReader reader, String text) {
        byte[] data = bytes(text);
        return reader.feed(data, 0, data.length);
    }

    private static String escape(String text) {
        return Protocol.escape(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
