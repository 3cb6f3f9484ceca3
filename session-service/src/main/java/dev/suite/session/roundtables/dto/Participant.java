package dev.suite.session.roundtables.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record Participant(String participantId, String name, String llmConfigId, String rolePrompt, int order,
        boolean moderator) {
}
