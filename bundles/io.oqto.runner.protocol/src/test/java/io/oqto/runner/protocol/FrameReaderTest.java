package io.oqto.runner.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    private static FrameReader reader(String s, int max) {
        return new FrameReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), max);
    }

    private static String text(FrameReader.Line l) {
        FrameReader.Data d = assertInstanceOf(FrameReader.Data.class, l);
        return new String(d.bytes(), 0, d.length(), StandardCharsets.UTF_8);
    }

    @Test
    void splitsOnNewlineAndStripsCarriageReturn() throws IOException {
        FrameReader r = reader("one\ntwo\r\n\nthree", 64);
        assertEquals("one", text(r.next()));
        assertEquals("two", text(r.next()));
        assertEquals("", text(r.next()));
        assertNull(r.next(), "a last line without newline is incomplete and dropped");
    }

    @Test
    void discardsAnOversizedLineAndCarriesOn() throws IOException {
        String big = "x".repeat(100);
        FrameReader r = reader("ok\n" + big + "\nafter\n", 32);
        assertEquals("ok", text(r.next()));
        FrameReader.Oversized o = assertInstanceOf(FrameReader.Oversized.class, r.next());
        assertEquals(100, o.discardedBytes());
        assertEquals("after", text(r.next()));
        assertNull(r.next());
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() throws IOException {
        FrameReader r = reader("y".repeat(32) + "\n" + "z".repeat(33) + "\n", 32);
        assertEquals(32, text(r.next()).length());
        assertEquals(33, assertInstanceOf(FrameReader.Oversized.class, r.next()).discardedBytes());
    }

    @Test
    void refusesAUselessLimit() {
        assertThrows(IllegalArgumentException.class, () -> reader("", 4));
    }
}
