package dev.suite.llm.limits;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One scope that limits the caller's calls — the caller, a config or a model group — and what it has used. */
@Schema(name = "LimitStatus")
@RegisterForReflection
public record LimitStatus(
        @Schema(enumeration = {"user", "config", "group"}) String kind,
        @Schema(description = "The user id, config id or group id") String id,
        String name,
        Limits limits,
        Used used) {
}
