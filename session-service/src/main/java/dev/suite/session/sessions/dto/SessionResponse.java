package dev.suite.session.sessions.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** A session as the API shows it. {@code expires_at} is set on temporary sessions only. */
@RegisterForReflection
public record SessionResponse(
        String sessionId,
        String title,
        String name,
        String llmConfigId,
        String sessionType,
        String avatar,
        String systemPrompt,
        String mediaOutputPath,
        String roleId,
        Instant expiresAt,
        Instant createdAt,
        Instant updatedAt) {
}
