package dev.suite.commons.health;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A service's health as front ends read it: overall and per component, states only — never check data. */
@Schema(name = "ServiceHealth")
@RegisterForReflection
public record ServiceHealth(
        @Schema(example = "llm-service") String service,
        @Schema(example = "0.1.0") String version,
        @Schema(enumeration = {"up", "down"}, example = "up") String status,
        List<Component> components) {

    @Schema(name = "HealthComponent")
    @RegisterForReflection
    public record Component(
            @Schema(example = "Database connections health check") String name,
            @Schema(enumeration = {"up", "down"}, example = "up") String status) {
    }

    public boolean up() {
        return status.equals("up");
    }
}
