package dev.suite.llm.config.dto;

/** The data of {@code llm.config.*} events: the owner (for routing) and the config as the API shows it. */
public record LlmConfigEvent(String ownerId, LlmConfigResponse config) {
}
