package lab.sockets;

import lab.sockets.IdReader.End;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static lab.sockets.RawPeer.bytes;
import static lab.sockets.RawPeer.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /** Bytes as the console and the roster show them: text stays, anything that could act on a terminal is escaped. */
    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("a plain ID", bytes("B08902001"), "B08902001"),
                Arguments.of("text beyond ASCII", bytes("école 學生 🎓"), "école 學生 🎓"),
                Arguments.of("ANSI colours", bytes("\u001b[31mred\u001b[0m"), "\\x1b[31mred\\x1b[0m"),
                Arguments.of("C0 controls and DEL", bytes("a\u0000b\u0007c\u0008d\re\nf\u007f"),
                        "a\\x00b\\x07c\\x08d\\x0de\\x0af\\x7f"),
                Arguments.of("bytes that are never UTF-8", new byte[] {(byte) 0xff, (byte) 0xfe}, "\\xff\\xfe"),
                Arguments.of("a lone C1 byte is invalid UTF-8", new byte[] {(byte) 0x9b, '2', 'J'}, "\\x9b2J"),
                Arguments.of("C1 CSI encoded as UTF-8", bytes("\u009b2J"), "\\u009b2J"),
                Arguments.of("right-to-left override", bytes("abc\u202etxt.exe"), "abc\\u202etxt.exe"),
                Arguments.of("line separator", bytes("a\u2028b"), "a\\u2028b"),
                Arguments.of("an invisible language tag, beyond U+FFFF", bytes("tag\uDB40\uDC01"), "tag\\U000e0001"),
                Arguments.of("a backslash is escaped, so escaping is unambiguous", bytes("back\\slash"), "back\\\\slash"),
                Arguments.of("a cut multi-byte char", new byte[] {(byte) 0xe5, (byte) 0xad}, "\\xe5\\xad"),
                Arguments.of("overlong '/'", new byte[] {(byte) 0xc0, (byte) 0xaf}, "\\xc0\\xaf"),
                Arguments.of("an encoded surrogate", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\\xed\\xa0\\x80"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void escapesControlsAndInvalidUtf8ButKeepsText(String what, byte[] input, String shown) {
        assertEquals(shown, Protocol.escape(input), what);
    }

    /** How the input stops after its pieces: not at all, by end of stream, or by a quiet pause. */
    enum Then { NOTHING, END_OF_STREAM, QUIET_PAUSE }

    /** The pieces TCP delivers, one {@link IdReader#feed} each, then how the input stops, and the ID it must give. */
    record IdCase(String name, List<String> pieces, Then then, End end, String id, long discarded) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<IdCase> ids() {
        return Stream.of(
                new IdCase("at the first newline, without its line ending", List.of("b08902001\r\nmore"), Then.NOTHING,
                        End.NEWLINE, "b08902001", 4),
                new IdCase("split over many segments, read whole", List.of("b", "0", "8", "9", "0", "2001\n"), Then.NOTHING,
                        End.NEWLINE, "b08902001", 0),
                new IdCase("at end of stream, as the slides' Python client sends it", List.of("b08902001"),
                        Then.END_OF_STREAM, End.END_OF_STREAM, "b08902001", 0),
                new IdCase("only one line ending is dropped", List.of("x\r\r\n"), Then.NOTHING, End.NEWLINE, "x\r", 0),
                new IdCase("a CR is dropped only before the newline", List.of("x\r"), Then.END_OF_STREAM,
                        End.END_OF_STREAM, "x\r", 0),
                new IdCase("cut at the slides' thousand bytes", List.of("a".repeat(999), "bcd\n"), Then.NOTHING,
                        End.SIZE_LIMIT, "a".repeat(999) + "b", 3),
                new IdCase("at a quiet pause once a byte came", List.of("b089"), Then.QUIET_PAUSE, End.QUIET_PAUSE, "b089", 0),
                new IdCase("an empty line is an empty ID", List.of("\n"), Then.NOTHING, End.NEWLINE, "", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void theIdEnds(IdCase c) {
        IdReader reader = new IdReader();
        for (int i = 0; i < c.pieces().size(); i++) {
            boolean last = i == c.pieces().size() - 1;
            assertEquals(last && c.then() == Then.NOTHING, feed(reader, c.pieces().get(i)),
                    "complete after piece " + (i + 1) + " of " + c.pieces().size());
            if (!last) {
                assertTrue(reader.started(), "an ID under way has started, after piece " + (i + 1));
            }
        }
        if (c.then() == Then.END_OF_STREAM) {
            reader.endOfStream();
        } else if (c.then() == Then.QUIET_PAUSE) {
            reader.endOnQuietPause();
        }
        assertTrue(reader.complete());
        assertEquals(c.end(), reader.end());
        assertEquals(show(bytes(c.id())), show(reader.id()));
        assertEquals(c.discarded(), reader.discarded(), "bytes discarded after the ID");
    }

    @Test
    void bytesAfterTheIdAreOnlyCounted() {
        IdReader reader = new IdReader();
        assertTrue(feed(reader, "a".repeat(999) + "bcd\n"));
        assertEquals(Protocol.MAX_ID_BYTES, reader.id().length);
        assertTrue(feed(reader, "x".repeat(5000)));
        assertEquals(Protocol.MAX_ID_BYTES, reader.id().length);
        assertEquals(5003, reader.discarded());
    }

    @Test
    void aQuietPauseBeforeAnyByteDoesNotEndTheId() {
        IdReader reader = new IdReader();
        reader.endOnQuietPause();
        assertFalse(reader.complete(), "no byte yet: a student still typing is not cut off");
        assertFalse(reader.started());
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"500ms, 500", "3s, 3000", "2m, 120000", "60, 60000", "1.5, 1500"})
    void durationsAsPeopleTypeThem(String typed, long millis) {
        assertEquals(millis, DurationConverter.parse(typed).toMillis());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "ms", "-1s", "1e3", "5 minutes", "1..2s", "abc"})
    void durationsPeopleMistypeAreRefused(String wrong) {
        assertThrows(picocli.CommandLine.TypeConversionException.class, () -> DurationConverter.parse(wrong), wrong);
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({"fd00:0:0:0:0:0:0:2, fd00::2", "::1, ::1", "fe80::, fe80::", "1:0:2:0:0:0:0:3, 1:0:2::3", ":: , ::",
            "0.0.0.0, 0.0.0.0"})
    void addressesAsPeopleWriteThem(String address, String written) throws Exception {
        assertEquals(written, Addresses.host(InetAddress.getByName(address)));
    }

    @Test
    void anIpv6SocketAddressHasItsHostInBrackets() {
        assertEquals("[::1]:80", Addresses.format(new InetSocketAddress("::1", 80)));
    }

    private static boolean feed(IdReader reader, String text) {
        byte[] data = bytes(text);
        return reader.feed(data, 0, data.length);
    }

}
