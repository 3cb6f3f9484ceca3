package dev.suite.llm.usage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Aggregated usage of the caller between {@code from} (inclusive) and {@code to} (exclusive). */
@RegisterForReflection
@Schema(name = "UsageSummary")
public record UsageSummary(Instant from, Instant to, String groupBy, List<Group> groups) {

    /**
     * One group: a config id, a model name, a day (YYYY-MM-DD, UTC) or a model group id (null for
     * calls that named no group). Cached tokens are part of the prompt tokens, reasoning tokens part
     * of the completion tokens. {@code cost_usd} leaves out the {@code unpriced_calls}, whose model
     * has no price (see /api/llm/prices).
     */
    @RegisterForReflection
    public record Group(String key, long calls, long errors, long promptTokens, long completionTokens,
            long totalTokens, long cachedTokens, long reasoningTokens, BigDecimal costUsd, long unpricedCalls,
            double avgLatencyMs, double avgTtftMs) {
    }
}
