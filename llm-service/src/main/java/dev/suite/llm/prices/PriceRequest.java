package dev.suite.llm.prices;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;

/** The body of setting your price of a model, in US dollars per million tokens. */
@Schema(name = "PriceRequest")
@RegisterForReflection
public record PriceRequest(
        @NotNull @DecimalMin("0") @DecimalMax("100000") @Digits(integer = 6, fraction = 6)
        @Schema(required = true, example = "0.15") BigDecimal inputPerMillion,
        @DecimalMin("0") @DecimalMax("100000") @Digits(integer = 6, fraction = 6)
        @Schema(example = "0.075", description = "Defaults to the input price") BigDecimal cachedInputPerMillion,
        @NotNull @DecimalMin("0") @DecimalMax("100000") @Digits(integer = 6, fraction = 6)
        @Schema(required = true, example = "0.60") BigDecimal outputPerMillion) {
}
