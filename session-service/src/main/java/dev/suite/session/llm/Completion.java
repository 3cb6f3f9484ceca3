package dev.suite.session.llm;

/** A finished chat completion: its text and llm-service's token counts (null when not reported). */
public record Completion(String content, Integer promptTokens, Integer completionTokens) {
}
