package dev.suite.llm.config.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The data of {@code llm.config.*} events: the owner (for routing) and the config as the API shows it. */
@RegisterForReflection
public record LlmConfigEvent(String ownerId, LlmConfigResponse config) {
}
