package dev.suite.mcp.protocol;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits an event stream into {@link SseEvent}s whatever the buffer boundaries, as the
 * EventSource specification says: only complete lines are decoded (a multi-byte character split
 * across buffers stays intact), comments are skipped, and an event with an {@code id} but empty
 * data (the priming event) is still delivered, since its id is a resume cursor.
 */
public final class SseDecoder {

    private Buffer pending = Buffer.buffer();
    private String id;
    private String event;
    private StringBuilder data;
    private boolean hasFields;

    public void feed(Buffer chunk, Consumer<SseEvent> sink) {
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

    /** The stream ended: a last event without its terminating blank line still counts. */
    public void end(Consumer<SseEvent> sink) {
        if (pending.length() > 0) {
            line(pending.toString(StandardCharsets.UTF_8), sink);
            pending = Buffer.buffer();
        }
        dispatch(sink);
    }

    private void line(String line, Consumer<SseEvent> sink) {
        if (line.isEmpty()) {
            dispatch(sink);
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' '
                ? colon + 2 : colon + 1);
        switch (field) {
            case "data" -> {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                hasFields = true;
            }
            case "event" -> {
                event = value;
                hasFields = true;
            }
            case "id" -> {
                id = value;
                hasFields = true;
            }
            default -> {
                // retry and unknown fields: the gateway reconnects on its own schedule.
            }
        }
    }

    private void dispatch(Consumer<SseEvent> sink) {
        if (hasFields) {
            sink.accept(new SseEvent(id, event, data == null ? "" : data.toString()));
        }
        event = null;
        data = null;
        hasFields = false;
        // Per the EventSource rules the last event id persists across events; each event carries its own here.
        id = null;
    }
}
