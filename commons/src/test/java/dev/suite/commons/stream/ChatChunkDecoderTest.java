package dev.suite.commons.stream;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ChatChunkDecoderTest {

    private static final String STREAM = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

            data: {"choices":[{"index":0,"delta":{"content":"你好，"}}]}

            : keep-alive

            data: {"choices":[{"index":0,"delta":{"content":"世界 🌍 ありがとう"}}]}

            data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}

            data: [DONE]

            """;

    @Test
    void piecesSplitByteByByteComeBackExactly() {
        List<String> pieces = new ArrayList<>();
        ChatChunkDecoder decoder = new ChatChunkDecoder(4096, pieces::add);
        for (byte b : STREAM.getBytes(StandardCharsets.UTF_8)) {
            decoder.feed(Buffer.buffer(new byte[] {b}));
        }
        decoder.end();
        assertEquals(List.of("你好，", "世界 🌍 ありがとう"), pieces);
        assertEquals("你好，世界 🌍 ありがとう", decoder.text());
        assertEquals(3, decoder.usageCount("prompt_tokens"));
        assertEquals(5, decoder.usageCount("completion_tokens"));
        assertNull(decoder.error());
    }

    @Test
    void anErrorEventIsKeptForTheEnd() {
        ChatChunkDecoder decoder = new ChatChunkDecoder(4096, piece -> { });
        decoder.feed(Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                + "data: {\"error\":{\"message\":\"provider went away\"}}\n\n"));
        decoder.end();
        assertEquals("a", decoder.text());
        assertEquals("provider went away", decoder.error());
        assertNull(decoder.usage());
    }
}
