package dev.suite.llm.chat.stream;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Splits an upstream byte stream into events, whatever the buffer boundaries: Server-Sent Events
 * (OpenAI, Anthropic, Gemini) or newline-delimited JSON (Ollama). Only complete lines are decoded,
 * so a multi-byte character split across buffers stays intact.
 */
public final class FrameDecoder {

    /** Receives one event: its SSE {@code event:} name (null for NDJSON or unnamed) and its data. */
    public interface Sink {
        void onFrame(String event, String data);
    }

    private final boolean sse;
    private Buffer pending = Buffer.buffer();
    private String eventName;
    private StringBuilder data;

    private FrameDecoder(boolean sse) {
        this.sse = sse;
    }

    public static FrameDecoder sse() {
        return new FrameDecoder(true);
    }

    public static FrameDecoder ndjson() {
        return new FrameDecoder(false);
    }

    public void feed(Buffer chunk, Sink sink) {
        pending.appendBuffer(chunk);
        int start = 0;
        int length = pending.length();
        for (int i = 0; i < length; i++) {
            if (pending.getByte(i) == '\n') {
                int end = i > start && pending.getByte(i - 1) == '\r' ? i - 1 : i;
                line(pending.getString(start, end, StandardCharsets.UTF_8.name()), sink);
                start = i + 1;
            }
        }
        pending = start == length ? Buffer.buffer() : pending.getBuffer(start, length);
    }

    /** The upstream ended: whatever is left is a last event without its terminating blank line. */
    public void end(Sink sink) {
        if (pending.length() > 0) {
            line(pending.toString(StandardCharsets.UTF_8), sink);
            pending = Buffer.buffer();
        }
        if (sse) {
            dispatch(sink);
        }
    }

    private void line(String line, Sink sink) {
        if (!sse) {
            if (!line.isBlank()) {
                sink.onFrame(null, line);
            }
            return;
        }
        if (line.isEmpty()) {
            dispatch(sink);
        } else if (line.startsWith(":")) {
            // An SSE comment: keep-alive.
        } else if (line.startsWith("data:")) {
            String value = line.length() > 5 && line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
            if (data == null) {
                data = new StringBuilder(value);
            } else {
                data.append('\n').append(value);
            }
        } else if (line.startsWith("event:")) {
            eventName = line.substring(6).strip();
        }
    }

    private void dispatch(Sink sink) {
        if (data != null) {
            sink.onFrame(eventName, data.toString());
        }
        data = null;
        eventName = null;
    }
}
