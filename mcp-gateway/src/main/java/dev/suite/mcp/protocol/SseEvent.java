package dev.suite.mcp.protocol;

/** One Server-Sent Event: its {@code id} (a resume cursor), {@code event} name and {@code data}. */
public record SseEvent(String id, String event, String data) {

    /** The 2025-11-25 priming event, or any event without data: a cursor, not a message. */
    public boolean isEmpty() {
        return data == null || data.isEmpty();
    }
}
