package dev.suite.commons.stream;

/**
 * One Server-Sent Event: its {@code id} (a resume cursor), {@code event} name and {@code data}
 * (null when it had no data field).
 */
public record SseEvent(String id, String event, String data) {

    /** An event without data, such as MCP's priming event: a cursor, not a message. */
    public boolean isEmpty() {
        return data == null || data.isEmpty();
    }
}
