package dev.suite.workflow.nodes;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What flows along an edge. {@code stream} is a sequence of chunks delivered while its producer
 * runs (an LLM's tokens); every other type is one value handed over when the producer completes.
 */
public enum HandleType {
    ANY, STRING, NUMBER, BOOLEAN, OBJECT, ARRAY, STREAM;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    public static HandleType of(String name) {
        for (HandleType type : values()) {
            if (type.json().equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** Whether an output of this type may feed an input of type {@code input}. */
    public boolean feeds(HandleType input) {
        if (this == STREAM || input == STREAM) {
            return this == input;
        }
        if (this == input || this == ANY || input == ANY) {
            return true;
        }
        // Templates and prompts take numbers and booleans as their text.
        return input == STRING && (this == NUMBER || this == BOOLEAN);
    }
}
