package dev.suite.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * A config's timeouts: connect, first byte (until the upstream answers), idle between stream
 * frames, and total. Defaults come from configuration; a config may override them in
 * {@code metadata.timeouts} ({@code connect_ms}, {@code first_byte_ms}, {@code idle_ms}, {@code total_ms}).
 */
public record ChatTimeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {

    public ChatTimeouts overriddenBy(JsonNode timeouts) {
        if (timeouts == null || !timeouts.isObject()) {
            return this;
        }
        return new ChatTimeouts(
                millis(timeouts, "connect_ms", connect),
                millis(timeouts, "first_byte_ms", firstByte),
                millis(timeouts, "idle_ms", idle),
                millis(timeouts, "total_ms", total));
    }

    private static Duration millis(JsonNode node, String field, Duration fallback) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToLong() && value.asLong() > 0 ? Duration.ofMillis(value.asLong())
                : fallback;
    }
}
