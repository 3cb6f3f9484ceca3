package dev.suite.llm.usage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Aggregated usage of the caller between {@code from} (inclusive) and {@code to} (exclusive). */
@RegisterForReflection
@Schema(name = "UsageSummary")
public record UsageSummary(Instant from, Instant to, String groupBy, List<Group> groups) {

    /** One group: a config id, a model name or a day (YYYY-MM-DD, UTC). */
    @RegisterForReflection
    public record Group(String key, long calls, long errors, long promptTokens, long completionTokens,
            long totalTokens, double avgLatencyMs, double avgTtftMs) {
    }
}
