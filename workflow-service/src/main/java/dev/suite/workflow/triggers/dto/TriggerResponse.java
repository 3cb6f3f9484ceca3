package dev.suite.workflow.triggers.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A trigger as the API shows it. A webhook's {@code secret} appears once, in the answer to the
 * create that generated it; afterwards only {@code has_secret}. {@code webhook_url} is the path to
 * call through the API gateway.
 */
@RegisterForReflection
public record TriggerResponse(
        String triggerId,
        String workflowId,
        String kind,
        String name,
        boolean enabled,
        Integer version,
        int priority,
        JsonNode inputs,
        String cron,
        String timeZone,
        String missed,
        Instant nextRunAt,
        String webhookUrl,
        Boolean hasSecret,
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
        Integer respondWithinSeconds,
        String eventType,
        JsonNode filter,
        Instant lastFiredAt,
        String lastExecutionId,
        String lastError,
        long fires,
        Instant createdAt,
        Instant updatedAt) {

    public TriggerResponse withSecret(String shownOnce) {
        return new TriggerResponse(triggerId, workflowId, kind, name, enabled, version, priority, inputs, cron, timeZone,
                missed, nextRunAt, webhookUrl, hasSecret, shownOnce, respondWithinSeconds, eventType, filter, lastFiredAt,
                lastExecutionId, lastError, fires, createdAt, updatedAt);
    }
}
