package dev.suite.llm.chat.stream;

import dev.suite.commons.stream.LineDecoder;
import dev.suite.commons.stream.SseDecoder;
import dev.suite.commons.stream.SseEvent;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * A provider's stream as frames, whatever the buffer boundaries: Server-Sent Events (OpenAI,
 * Anthropic, Gemini) or newline-delimited JSON (Ollama), through commons' decoders, which decode
 * only complete lines and fail with {@code LineTooLongException} past the line limit.
 */
public final class FrameDecoder {

    /** Receives one frame: its SSE {@code event:} name (null for NDJSON or unnamed) and its data. */
    public interface Sink {
        void onFrame(String event, String data);
    }

    private final SseDecoder sse;
    private final LineDecoder ndjson;

    private FrameDecoder(SseDecoder sse, LineDecoder ndjson) {
        this.sse = sse;
        this.ndjson = ndjson;
    }

    public static FrameDecoder sse(int maxLine) {
        return new FrameDecoder(new SseDecoder(maxLine), null);
    }

    public static FrameDecoder ndjson(int maxLine) {
        return new FrameDecoder(null, new LineDecoder(maxLine));
    }

    public void feed(Buffer chunk, Sink sink) {
        if (sse != null) {
            sse.feed(chunk, events(sink));
        } else {
            ndjson.feed(chunk, lines(sink));
        }
    }

    /** The upstream ended: whatever is left is a last frame without its terminator. */
    public void end(Sink sink) {
        if (sse != null) {
            sse.end(events(sink));
        } else {
            ndjson.end(lines(sink));
        }
    }

    private static Consumer<SseEvent> events(Sink sink) {
        // Events without data (a bare "event:" line) carry nothing to translate.
        return event -> {
            if (event.data() != null) {
                sink.onFrame(event.event(), event.data());
            }
        };
    }

    private static Consumer<String> lines(Sink sink) {
        return line -> {
            if (!line.isBlank()) {
                sink.onFrame(null, line);
            }
        };
    }
}
