package dev.suite.llm.config.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The one response that carries a key in clear: the owner's explicit, audited reveal. */
@RegisterForReflection
public record ApiKeyResponse(@Schema(example = "sk-proj-…", nullable = true) String apiKey) {
}
