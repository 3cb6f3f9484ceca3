package dev.suite.session.roundtables.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** A message of a roundtable: the user's ({@code speaker} "user") or a participant's turn. */
@RegisterForReflection
public record RoundtableMessage(String messageId, String roundtableId, String participantId, String speaker,
        String role, String content, Integer tokenCount, int round, Instant createdAt) {
}
