package dev.suite.workflow.triggers;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A trigger as stored: its secret and its creator's credentials sealed (opened only to fire or check a call). */
public record Trigger(
        String triggerId,
        String ownerId,
        String workflowId,
        Integer version,
        String kind,
        String name,
        boolean enabled,
        int priority,
        JsonNode inputs,
        String cron,
        String timeZone,
        String missed,
        Instant nextRunAt,
        String sealedSecret,
        Integer respondWithinMs,
        String eventType,
        JsonNode filter,
        String sealedCallerAuth,
        Instant lastFiredAt,
        String lastExecutionId,
        String lastError,
        long fires,
        Instant createdAt,
        Instant updatedAt) {

    public static final String SCHEDULE = "schedule";
    public static final String WEBHOOK = "webhook";
    public static final String EVENT = "event";
}
