package dev.suite.session.sessions;

import java.util.Arrays;
import java.util.Optional;

/** What a session is for: temporary ones expire, memory ones are summarised as they grow. */
public enum SessionType {
    TEMPORARY, MEMORY, AGENT;

    public static final String PATTERN = "temporary|memory|agent";

    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<SessionType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(value)).findFirst();
    }
}
