package lab.sockets;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Thousands of random byte sequences, cut at random points, through the ID reader and the escaper.
 * The seed is printed with any failure: rerun with {@code -Dfuzz.seed=N} to replay it.
 */
@Tag("fast")
class ProtocolFuzzTest {
    private static final int CASES = 20_000;

    @Test
    void randomInputNeverBreaksTheInvariants() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int n = 0; n < CASES; n++) {
            byte[] input = randomInput(random);
            try {
                check(input, random);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("fuzz case " + n + " failed; replay with -Dfuzz.seed=" + seed
                        + "; input (escaped): " + Protocol.escape(input), e);
            }
        }
    }

    private static void check(byte[] input, Random random) {
        // 1. the reader takes the input in random pieces, as TCP may deliver it
        IdReader reader = new IdReader();
        int at = 0;
        while (at < input.length && !reader.complete()) {
            int piece = 1 + random.nextInt(Math.min(64, input.length - at));
            reader.feed(input, at, piece);
            at += piece;
        }
        reader.endOfStream();
        byte[] id = reader.id();

        // 2. the ID is what came before the first newline, at most 1000 bytes, minus one \r before the \n
        int newline = indexOf(input, (byte) '\n');
        int end = newline < 0 ? input.length : newline;
        int kept = Math.min(end, Protocol.MAX_ID_BYTES);
        if (newline >= 0 && newline < Protocol.MAX_ID_BYTES && kept > 0 && input[kept - 1] == '\r') {
            kept--;
        }
        assertEquals(kept, id.length, "ID length");
        for (int i = 0; i < kept; i++) {
            assertEquals(input[i], id[i], "ID byte " + i);
        }

        // 3. upper-casing touches only a-z; a printable ASCII ID comes out upper-cased and whole
        byte[] upper = Protocol.upperCaseAscii(id);
        String shown = Protocol.escape(upper);
        if (isPrintableAsciiWithoutBackslash(id)) {
            assertEquals(new String(id, UTF_8).toUpperCase(java.util.Locale.ROOT), shown);
        }

        // 4. nothing escaped holds a character a terminal acts on (a control, a line separator, U+202E...)
        shown.codePoints().filter(Terminal::actsOn).findFirst().ifPresent(c ->
                fail("raw character U+" + Integer.toHexString(c) + " in escaped output: " + shown));
        // 5. the escaper works on any bytes, not just IDs
        Protocol.escape(input);
    }

    /** Mostly student-like input, never starting as a telnet client does, with random bytes, controls, UTF-8 fragments and long runs mixed in. */
    private static byte[] randomInput(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = 1 + random.nextInt(6);
        for (int p = 0; p < parts; p++) {
            switch (random.nextInt(7)) {
                case 0 -> out.writeBytes(("b0" + random.nextInt(10_000_000)).getBytes(UTF_8));
                case 1 -> out.writeBytes("\r\n".getBytes(UTF_8));
                case 2 -> out.write('\n');
                case 3 -> out.writeBytes("é學🎓\u202e\u009b\u001b[2J".getBytes(UTF_8));
                case 4 -> {
                    byte[] noise = new byte[random.nextInt(40)];
                    random.nextBytes(noise);
                    out.writeBytes(noise);
                }
                case 5 -> out.writeBytes("x".repeat(random.nextInt(1500)).getBytes(UTF_8));
                default -> out.write(random.nextInt(32));
            }
        }
        byte[] input = out.toByteArray();
        if (input.length > 0 && input[0] == (byte) 0xff) {
            input[0] = 'F';   // a first byte 255 starts Telnet, whose commands are not ID bytes: LabDayTest covers it
        }
        return input;
    }

    private static boolean isPrintableAsciiWithoutBackslash(byte[] data) {
        for (byte b : data) {
            if (b < 0x20 || b >= 0x7f || b == '\\') {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, byte value) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
