package dev.suite.llm.usage;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * One call's accounting: who, which config and model (and the group named, if any), tokens, cost
 * in billionths of a dollar (null when the model has no price), timings and the status answered.
 */
@RegisterForReflection
public record UsageRecord(
        String usageId,
        String ownerId,
        String configId,
        String groupId,
        String provider,
        String model,
        int promptTokens,
        int completionTokens,
        int cachedTokens,
        int reasoningTokens,
        Long costNanos,
        int latencyMs,
        int ttftMs,
        int status,
        boolean stream,
        Instant createdAt) {
}
