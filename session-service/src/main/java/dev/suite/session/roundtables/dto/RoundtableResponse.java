package dev.suite.session.roundtables.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * A roundtable. {@code status} is {@code running} while a discussion holds its lease (on any
 * replica), else {@code idle}; {@code stop_reason} tells how the last discussion ended:
 * max_rounds, max_messages, keyword, token_budget, moderator, stopped, failed or interrupted (its
 * replica went away).
 */
@RegisterForReflection
public record RoundtableResponse(
        String roundtableId,
        String title,
        String topic,
        String turnOrder,
        int maxRounds,
        int maxMessages,
        String stopKeyword,
        Integer tokenBudget,
        List<Participant> participants,
        String status,
        String stopReason,
        Instant createdAt,
        Instant updatedAt) {

    public RoundtableResponse withStatus(String status, String stopReason) {
        return new RoundtableResponse(roundtableId, title, topic, turnOrder, maxRounds, maxMessages, stopKeyword,
                tokenBudget, participants, status, stopReason, createdAt, updatedAt);
    }
}
