package io.oqto.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static LineReader reader(String text, int max) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }

    @Test
    void splitsOnLineFeedOnlyDropsCarriageReturnsAndKeepsUnicodeSeparators() throws Exception {
        LineReader r = reader("a\r\nb\u2028c\n\nlast", 100);
        assertEquals("a", r.next());
        assertEquals("b\u2028c", r.next(), "U+2028 is legal inside JSON strings, not a line break");
        assertEquals("", r.next());
        assertEquals("last", r.next(), "a last line without a line break");
        assertNull(r.next());
    }

    @Test
    void aLineOverTheLimitIsSkippedNotBuffered() throws Exception {
        String big = "x".repeat(20_000);
        LineReader r = reader("ok\n" + big + "\nafter\n" + big, 10_000);
        assertEquals("ok", r.next());
        assertSame(LineReader.TOO_LONG, r.next());
        assertEquals("after", r.next());
        assertSame(LineReader.TOO_LONG, r.next());
        assertNull(r.next());
    }

    @Test
    void multiByteCharactersAcrossReadsStayWhole() throws Exception {
        String text = "é".repeat(10_000);
        assertEquals(text, reader(text + "\n", 100_000).next());
    }
}
