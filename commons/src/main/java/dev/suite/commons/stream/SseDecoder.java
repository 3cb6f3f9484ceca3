package dev.suite.commons.stream;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Splits an event stream into {@link SseEvent}s as the EventSource specification says, from
 * complete lines only ({@link LineDecoder}): comments are skipped, {@code retry} and unknown
 * fields ignored, and an event with fields but no data (a priming event with an {@code id}) is
 * still delivered. Each event carries its own id. An event whose data grows past the line limit
 * fails with {@link LineTooLongException}, like a long line.
 */
public final class SseDecoder {

    private final LineDecoder lines;
    private final int maxEvent;
    private final Consumer<String> onLine;
    private Consumer<SseEvent> sink;
    private String id;
    private String event;
    private StringBuilder data;
    private boolean hasFields;

    public SseDecoder(int maxEvent) {
        this.lines = new LineDecoder(maxEvent);
        this.maxEvent = maxEvent;
        this.onLine = this::line;
    }

    public void feed(Buffer chunk, Consumer<SseEvent> sink) {
        this.sink = sink;
        lines.feed(chunk, onLine);
    }

    /** The stream ended: a last event without its terminating blank line still counts. */
    public void end(Consumer<SseEvent> sink) {
        this.sink = sink;
        lines.end(onLine);
        dispatch();
    }

    private void line(String line) {
        if (line.isEmpty()) {
            dispatch();
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
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    if (data.length() + 1 + value.length() > maxEvent) {
                        data = null;
                        throw new LineTooLongException(maxEvent);
                    }
                    data.append('\n').append(value);
                }
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
                // retry and unknown fields: callers reconnect on their own schedule.
            }
        }
    }

    private void dispatch() {
        if (hasFields) {
            sink.accept(new SseEvent(id, event, data == null ? null : data.toString()));
        }
        id = null;
        event = null;
        data = null;
        hasFields = false;
    }
}
