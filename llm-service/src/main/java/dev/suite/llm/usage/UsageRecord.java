package dev.suite.llm.usage;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** One chat call's accounting: who, which config and model, tokens, timings and the status answered. */
@RegisterForReflection
public record UsageRecord(
        String usageId,
        String ownerId,
        String configId,
        String provider,
        String model,
        int promptTokens,
        int completionTokens,
        int latencyMs,
        int ttftMs,
        int status,
        boolean stream,
        Instant createdAt) {
}
