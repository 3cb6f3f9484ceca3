package dev.suite.llm.limits;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;

/**
 * Limits on the calls through the gateway of a user, a config or a model group; an absent field is
 * no limit. Rates count over a sliding minute; spend is the cost of the calls (from the price
 * table) per UTC day and month. All are shared by every replica.
 */
@Schema(name = "Limits")
@RegisterForReflection
public record Limits(
        @Min(1) @Max(1_000_000) @Schema(example = "60") Integer requestsPerMinute,
        @Min(1) @Max(1_000_000_000) @Schema(example = "100000", description = "Prompt and completion tokens")
        Long tokensPerMinute,
        @Min(1) @Max(100_000) @Schema(example = "4", description = "Calls in flight at once") Integer maxConcurrent,
        @DecimalMin("0") @DecimalMax("1000000") @Digits(integer = 7, fraction = 4)
        @Schema(example = "5.00", description = "US dollars per UTC day") BigDecimal dailyBudgetUsd,
        @DecimalMin("0") @DecimalMax("1000000") @Digits(integer = 7, fraction = 4)
        @Schema(example = "100.00", description = "US dollars per UTC month") BigDecimal monthlyBudgetUsd) {

    public static final Limits NONE = new Limits(null, null, null, null, null);

    @JsonIgnore
    public boolean isEmpty() {
        return requestsPerMinute == null && tokensPerMinute == null && maxConcurrent == null && dailyBudgetUsd == null
                && monthlyBudgetUsd == null;
    }
}
