package dev.suite.llm.chat;

/** Token counts of one call, as the provider reported them (or the echo provider counted them). */
public record Usage(int promptTokens, int completionTokens) {

    public static final Usage NONE = new Usage(0, 0);

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
