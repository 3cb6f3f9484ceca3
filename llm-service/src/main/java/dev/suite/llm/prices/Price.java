package dev.suite.llm.prices;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;

/** What a model costs, in US dollars per million tokens, and whether it is the shipped price or yours. */
@Schema(name = "Price")
@RegisterForReflection
public record Price(
        @Schema(example = "gpt-4o-mini", description = "Lower case; also prices models it is a prefix of, followed by '-'")
        String model,
        @Schema(example = "0.15") BigDecimal inputPerMillion,
        @Schema(example = "0.075", description = "Prompt tokens read from the provider's prompt cache")
        BigDecimal cachedInputPerMillion,
        @Schema(example = "0.60", description = "Completion tokens, reasoning included") BigDecimal outputPerMillion,
        @Schema(enumeration = {"default", "custom"}) String source,
        @Schema(description = "When you set it; null for a shipped price") Instant updatedAt) {

    /** The cost in billionths of a dollar of these token counts. */
    long costNanos(int promptTokens, int cachedTokens, int completionTokens) {
        int cached = Math.min(Math.max(cachedTokens, 0), promptTokens);
        // USD per million tokens × 1,000 = nano-dollars per token.
        double nanos = (promptTokens - cached) * inputPerMillion.doubleValue() * 1000
                + cached * cachedInputPerMillion.doubleValue() * 1000
                + completionTokens * outputPerMillion.doubleValue() * 1000;
        return Math.round(nanos);
    }
}
