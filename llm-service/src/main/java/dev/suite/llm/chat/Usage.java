package dev.suite.llm.chat;

/**
 * Token counts of one call, as the provider reported them (or the echo provider counted them), in
 * OpenAI's terms: {@code cachedTokens} is the part of the prompt read from the provider's prompt
 * cache (billed at the cached-input price), {@code reasoningTokens} the part of the completion
 * spent thinking (billed as output).
 */
public record Usage(int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens) {

    public static final Usage NONE = new Usage(0, 0);

    public Usage(int promptTokens, int completionTokens) {
        this(promptTokens, completionTokens, 0, 0);
    }

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
