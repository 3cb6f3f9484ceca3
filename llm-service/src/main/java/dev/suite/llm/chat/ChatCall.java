package dev.suite.llm.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.config.CachedConfig;

/**
 * One attempt of a chat call against one config: the client's OpenAI request, the model to ask
 * the provider for, and the opened api key. Built anew for each fallback config.
 */
public record ChatCall(
        ObjectNode request,
        CachedConfig config,
        String upstreamModel,
        String apiKey,
        boolean stream,
        boolean includeUsage,
        String completionId,
        long created,
        ChatTimeouts timeouts) {
}
