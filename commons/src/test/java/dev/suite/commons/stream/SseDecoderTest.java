package dev.suite.commons.stream;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SseDecoderTest {

    @Test
    void aCharacterSplitAcrossReadsStaysIntact() {
        byte[] bytes = "data: 你好 🌍\n\n".getBytes(StandardCharsets.UTF_8);
        List<SseEvent> events = new ArrayList<>();
        SseDecoder decoder = new SseDecoder(1024);
        for (byte b : bytes) {
            decoder.feed(Buffer.buffer(new byte[] {b}), events::add);
        }
        assertEquals(List.of(new SseEvent(null, null, "你好 🌍")), events);
    }

    @Test
    void fieldsCommentsAndMultiLineData() {
        List<SseEvent> events = new ArrayList<>();
        SseDecoder decoder = new SseDecoder(1024);
        decoder.feed(Buffer.buffer(": keep-alive\r\n\r\nid: 7\r\nevent: message\r\ndata: a\r\ndata:b\r\nretry: 10\r\n\r\nid: 8\n\n"),
                events::add);
        decoder.feed(Buffer.buffer("data: last"), events::add);
        decoder.end(events::add);
        assertEquals(List.of(new SseEvent("7", "message", "a\nb"), new SseEvent("8", null, null),
                new SseEvent(null, null, "last")), events);
        assertNull(events.get(1).data());
    }

    @Test
    void aLineWithoutEndFailsAtTheLimit() {
        SseDecoder decoder = new SseDecoder(100);
        Buffer chunk = Buffer.buffer("data: " + "x".repeat(60));
        decoder.feed(chunk, e -> { });
        assertThrows(LineTooLongException.class, () -> decoder.feed(chunk, e -> { }));
    }

    @Test
    void anEventOfManyShortLinesFailsAtTheLimit() {
        SseDecoder decoder = new SseDecoder(100);
        assertThrows(LineTooLongException.class, () -> {
            for (int i = 0; i < 50; i++) {
                decoder.feed(Buffer.buffer("data: xxxxxxxx\n"), e -> { });
            }
        });
    }

    @Test
    void linesOfNdjsonArriveWhole() {
        List<String> lines = new ArrayList<>();
        LineDecoder decoder = new LineDecoder(64);
        decoder.feed(Buffer.buffer("{\"a\":1}\n{\"b\""), lines::add);
        decoder.feed(Buffer.buffer(":2}\n{\"c\":3}"), lines::add);
        decoder.end(lines::add);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"), lines);
    }
}
